#!/usr/bin/env node
// Writes demo/leads.csv: synthetic leads (placeholder names, reserved example domains), deterministic for a seed.
// Usage: node demo/generate-leads.mjs [--count 4000] [--seed 2026] [--out demo/leads.csv]
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const FIRST = ['Alex', 'Sam', 'Jordan', 'Taylor', 'Casey', 'Riley', 'Morgan', 'Avery', 'Quinn', 'Jamie', 'Drew', 'Robin', 'Kai', 'Noor', 'Ari', 'Lee'];
const LAST = ['Example', 'Sample', 'Placeholder', 'Testperson', 'Demo', 'Fixture', 'Mockley', 'Dummy', 'Stand-In', 'Specimen'];
const COMPANY = ['Northwind', 'Contoso', 'Fabrikam', 'Initech', 'Globex', 'Umbrella', 'Hooli', 'Vandelay', 'Acme', 'Tailspin'];
const TITLES = ['VP Sales', 'Head of RevOps', 'SDR Manager', 'CRO', 'Marketing Ops Lead', 'Account Executive', 'Growth Lead', 'CTO'];
const TLDS = ['example.com', 'example.org', 'example.net'];
const COUNTRIES = ['US', 'DE', 'GB', 'FR', 'NL', 'CA', 'AU'];
const SOURCES = ['webinar', 'content-download', 'trade-show', 'inbound-demo', 'partner'];

/** The kinds of deliberately bad rows and the stage that must reject each one. */
export const BAD_KINDS = [
	'invalid-email', // no @ or two @: enrichment answers 422
	'missing-email', // empty email: enrichment answers 422
	'crm-invalid-email', // consecutive dots: passes enrichment, the CRM answers 400 INVALID_EMAIL
	'excluded-email', // a domain the sequencer excludes: enrollment answers 422
];

/** Row i (1-based) is one of the deliberately bad ones: about 1.5%, spread evenly so any prefix holds each kind. */
export const isBadRow = (i) => i % 67 === 13;

function mulberry32(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export function generateLeads(count = 4000, seed = 2026) {
	const rnd = mulberry32(seed);
	const pick = (a) => a[Math.floor(rnd() * a.length)];
	const rows = [];
	let bad = 0;
	for (let i = 1; i <= count; i++) {
		const id = `lead-${String(i).padStart(4, '0')}`;
		const first = pick(FIRST);
		const last = pick(LAST);
		const company = pick(COMPANY);
		const domain = `${company.toLowerCase()}-${1 + Math.floor(rnd() * 40)}.${pick(TLDS)}`;
		const row = {
			lead_id: id,
			first_name: first,
			last_name: last,
			email: `${first.toLowerCase()}.${last.toLowerCase().replace(/[^a-z]/g, '')}.${i}@${domain}`,
			company: `${company} ${domain.split('.')[0].split('-')[1]}`,
			domain,
			title: pick(TITLES),
			country: pick(COUNTRIES),
			source: pick(SOURCES),
		};
		if (isBadRow(i)) {
			const kind = BAD_KINDS[bad++ % BAD_KINDS.length];
			if (kind === 'invalid-email') row.email = i % 2 ? `${first.toLowerCase()}.${i}.${domain}` : `${first.toLowerCase()}@@${domain}`;
			if (kind === 'missing-email') row.email = '';
			if (kind === 'crm-invalid-email') row.email = `${first.toLowerCase()}..${last.toLowerCase().replace(/[^a-z]/g, '')}.${i}@${domain}`;
			if (kind === 'excluded-email') row.email = `${first.toLowerCase()}.${i}@excluded.example.net`;
		} else if (rnd() < 0.02) {
			row.company = ''; // missing optional fields are normal data, not errors
			row.title = '';
		}
		rows.push(row);
	}
	return rows;
}

const COLUMNS = ['lead_id', 'first_name', 'last_name', 'email', 'company', 'domain', 'title', 'country', 'source'];

export function toCsv(rows) {
	const esc = (v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
	return [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => esc(String(r[c] ?? ''))).join(','))].join('\n') + '\n';
}

/** Parses the simple CSV this script writes (quoted fields allowed, no embedded newlines). */
export function parseCsv(text) {
	const lines = text.split('\n').filter((l) => l.length > 0);
	const split = (line) => {
		const out = [];
		let cur = '';
		let q = false;
		for (let i = 0; i < line.length; i++) {
			const ch = line[i];
			if (q && ch === '"' && line[i + 1] === '"') (cur += '"'), i++;
			else if (ch === '"') q = !q;
			else if (ch === ',' && !q) out.push(cur), (cur = '');
			else cur += ch;
		}
		out.push(cur);
		return out;
	};
	const head = split(lines[0]);
	return lines.slice(1).map((l) => Object.fromEntries(split(l).map((v, i) => [head[i], v])));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const arg = (name, dflt) => {
		const i = process.argv.indexOf(`--${name}`);
		return i > 0 ? process.argv[i + 1] : dflt;
	};
	const out = arg('out', join(dirname(fileURLToPath(import.meta.url)), 'leads.csv'));
	const rows = generateLeads(Number(arg('count', 4000)), Number(arg('seed', 2026)));
	writeFileSync(out, toCsv(rows));
	console.log(`wrote ${rows.length} leads to ${out}`);
}
