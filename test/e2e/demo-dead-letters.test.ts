// DEMO_DEAD_LETTERS=postgres end to end in a real n8n (DEMO_LEADS leads, default 400): phase 1 dead-letters every Failed
// item to PostgreSQL, phase 2 replays them after the faults clear. Asserted from the mock's ledger and the table itself
// (this test owns the database), not from the workflows' counts: one row per failed lead, the outage's leads and the
// ambiguous enrollments delivered exactly once (looked up first: found → no second enrollment), bad records kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { generateLeads } from '../../demo/generate-leads.mjs';
import { seededUnit } from '../../demo/mock-api/faults.mjs';
import { isBadLead } from '../../demo/dead-letters/checks.mjs';

const repo = resolve(__dirname, '..', '..');
const LEADS = Number(process.env.DEMO_LEADS || 400);
const PG = { host: '127.0.0.1', port: 5432, user: 'postgres' };
const NODES: Record<string, string> = { enrich: 'Enrich (Apollo)', crm: 'Upsert contact (HubSpot)', enroll: 'Enroll in sequence (Outreach)' };
const tally = (xs: string[]) => xs.reduce<Record<string, number>>((m, k) => ({ ...m, [k]: (m[k] ?? 0) + 1 }), {});

async function admin(sql: string) {
	const c = new Client({ ...PG, database: 'postgres' });
	await c.connect();
	try {
		await c.query(sql);
	} finally {
		await c.end();
	}
}

test(`demo with PostgreSQL dead letters: ${LEADS} leads, replayed in real n8n, reconciled from the ledger and the table`, { timeout: 20 * 60_000 }, async () => {
	const dir = mkdtempSync(join(tmpdir(), 'demo-dlq-e2e-'));
	const database = `e2e_demo_dlq_${randomBytes(5).toString('hex')}`;
	// The story, with enrollment resets frequent enough that a short run surely meets both kinds.
	const story = JSON.parse(readFileSync(join(repo, 'demo', 'mock-api', 'story.json'), 'utf8'));
	Object.assign(story.routes.enroll, { resetBefore: 0.02, resetAfter: 0.02 });
	writeFileSync(join(dir, 'story.json'), JSON.stringify(story));
	await admin(`CREATE DATABASE ${database}`);
	const db = new Client({ ...PG, database });
	try {
		const run = spawnSync(process.execPath, [join(repo, 'demo', 'run.mjs')], {
			cwd: repo,
			env: { ...process.env, DEMO_DEAD_LETTERS: 'postgres', DEMO_PG_DATABASE: database, DEMO_LEADS: String(LEADS), DEMO_REPORT_FILE: join(dir, 'report.json'), DEMO_BUILD: 'if-stale', DEMO_STORY: join(dir, 'story.json') },
			encoding: 'utf8',
			maxBuffer: 64 * 1024 * 1024,
		});
		const out = run.stdout ?? '';
		console.log(out.split('\n').filter((l) => /^\[demo|^leads=/.test(l)).join('\n'));
		assert.equal(run.status, 0, `demo exited ${run.status}\n${out.slice(-5000)}\n${(run.stderr ?? '').slice(-2000)}`);
		const last = out.trimEnd().split('\n').at(-1) ?? '';
		const m = last.match(new RegExp(`^leads=${LEADS} delivered=(\\d+) failed=(\\d+) lost=0 duplicates=0 requests=\\d+ retries=\\d+ wall_s=\\d+ dead_letters=(\\d+) replayed=(\\d+) resolved=(\\d+) open=(\\d+) discarded=(\\d+)$`));
		assert.ok(m, last);
		const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
		const ledger = report.ledger;

		await db.connect();
		const rows = (await db.query(`SELECT * FROM dead_letters.dead_letter_queue ORDER BY created_at, id`)).rows;
		const leadOf = (r: any) => r.origin.item.lead_id as string;
		const byLead = new Map(rows.map((r) => [leadOf(r), r]));
		assert.equal(byLead.size, rows.length, 'one row per lead');
		assert.deepEqual(m.slice(3).map(Number), [rows.length, rows.filter((r) => r.replay_count > 0).length, ...['resolved', 'new', 'discarded'].map((s) => rows.filter((r) => r.status === s).length)], 'the last line says what the table holds');

		// Phase 1 wrote every row: the pipeline's workflow, one of its three stages, with item, request, attempts, classification.
		for (const r of rows) {
			assert.equal(r.workflow_id, report.workflows.pipeline, r.id);
			assert.equal(r.node, NODES[r.queue], `${r.id} queue ${r.queue}`);
			assert.match(String(r.execution_id), /^\d+$/);
			assert.ok(r.attempt_count >= 1 && r.attempts.length === Math.min(50, r.attempt_count), `${r.id} attempts`);
			assert.equal(r.latest.request.method, 'POST');
			assert.ok(r.latest.classification.outcome && r.reason, r.id);
		}
		const rowText = (await db.query(`SELECT t::text AS t FROM dead_letters.dead_letter_queue t`)).rows.map((x) => x.t).join('\n');
		assert.doesNotMatch(rowText, /demo-(apollo|hubspot|outreach)-secret-/, 'no credential in any row');
		for (const [route, x] of Object.entries<any>(ledger.routes)) assert.equal(x.signed, x.total, `${route}: every request carried its credential`);
		assert.deepEqual(report.phase1.problems, []);

		// The outage's leads: transient rows of the CRM queue, all replayed, resolved and delivered once.
		const transient = rows.filter((r) => r.class === 'transient');
		assert.ok(transient.length > 0 && transient.every((r) => r.queue === 'crm' && /503|429/.test(r.reason)), `transient rows: ${transient.map((r) => r.reason).join('; ')}`);
		assert.ok(report.ledgerPhase1.routes.crm.endings['503'] > 0, 'the CRM answered 503 in phase 1');

		// Ambiguous enrollments: looked up once each; a reset after the write was found (no second enrollment), one before was enrolled.
		const seed = story.seed;
		const after = (email: string) => seededUnit(seed, 'enroll', email.toLowerCase(), 'reset-before') >= story.routes.enroll.resetBefore && seededUnit(seed, 'enroll', email.toLowerCase(), 'reset-after') < story.routes.enroll.resetAfter;
		// (Phase 1's class is the first attempt's: a bad lead's enrollment found missing fails again, as permanent, after the lookup.)
		const ambiguous = rows.filter((r) => r.attempts[0].class === 'ambiguous');
		const emailOf = (r: any) => String(r.origin.item.email);
		const found = ambiguous.filter((r) => after(emailOf(r)));
		assert.ok(found.length > 0 && found.length < ambiguous.length, `both kinds of reset: ${found.length} of ${ambiguous.length} after the write`);
		assert.equal(ledger.routes.lookup.total, ambiguous.length, 'one lookup per ambiguous row');
		const goodAmbiguous = ambiguous.filter((r) => !isBadLead(leadOf(r)));
		for (const r of goodAmbiguous) {
			assert.equal(r.queue, 'enroll');
			assert.equal(r.status, 'resolved', `${leadOf(r)}: ${r.note}`);
			assert.match(r.note, after(emailOf(r)) ? /^found by lookup: sequenceState \d+/ : /^not found by lookup, enrolled by the replay$/);
		}
		for (const r of [...transient, ...goodAmbiguous]) {
			assert.equal(ledger.leads[emailOf(r).toLowerCase()]?.enrollments, 1, `${leadOf(r)} enrolled exactly once`);
			assert.equal(r.replay_count, 1);
		}

		// Every lead: a good one enrolled exactly once; a bad one an open row (bad email) or discarded (excluded domain).
		const leads = generateLeads(4000).slice(0, LEADS);
		let bad = 0;
		for (const lead of leads) {
			const row = byLead.get(lead.lead_id);
			const enrolled = lead.email ? (ledger.leads[lead.email.toLowerCase()]?.enrollments ?? 0) : 0;
			if (!isBadLead(lead.lead_id)) {
				assert.equal(enrolled, 1, `${lead.lead_id} (good) enrolled exactly once`);
				continue;
			}
			bad++;
			assert.equal(enrolled, 0, `${lead.lead_id} (bad) not enrolled`);
			assert.ok(row && row.class === 'permanent', `${lead.lead_id}: a permanent row`);
			assert.ok(row.replay_count === 0 || row.attempts[0].class === 'ambiguous', `${lead.lead_id}: never resent, unless looked up first`);
			if (/excluded/.test(lead.email)) assert.deepEqual([row.status, row.queue], ['discarded', 'enroll'], lead.lead_id);
			else assert.equal(row.status, 'new', lead.lead_id);
		}
		assert.ok(bad >= 4, 'every kind of bad record');
		assert.deepEqual(ledger.duplicates, []);
		assert.equal(tally(rows.map((r) => r.status)).resolved, transient.length + goodAmbiguous.length, 'resolved: exactly the leads a replay delivered');
		assert.equal(rows.filter((r) => r.status === 'new' || r.status === 'discarded').length, bad, 'kept: exactly the bad records');
		assert.equal(Number(m[1]) + Number(m[2]), LEADS);
	} finally {
		await db.end().catch(() => undefined);
		await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
		rmSync(dir, { recursive: true, force: true });
	}
});
