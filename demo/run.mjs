#!/usr/bin/env node
// `npm run demo`: 4,000 leads through enrich → CRM upsert → sequence enrollment in a real n8n, against a mock GTM API
// that fails the way the story says; then every lead is reconciled from the mock's ledger and n8n's Failed outputs.
// Env: DEMO_LEADS (default 4000), DEMO_SKIP_BUILD=1 or DEMO_BUILD=if-stale, DEMO_PRESET=<one preset for every call>,
// DEMO_RATE_LIMIT=preset (pace at the presets' limits; default off against the mock), DEMO_REPORT_FILE=<path> (JSON summary), DEMO_STORY=<config path>.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMockApi } from './mock-api/server.mjs';
import { parseCsv, toCsv } from './generate-leads.mjs';
import { formatReport, reconcile, scaleStory } from './reconcile.mjs';
import { executeToFile } from './execute-to-file.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const say = (m) => console.log(`[demo ${String(Math.round((Date.now() - started) / 1000)).padStart(3)}s] ${m}`);
const FAILED_NODES = { 'Failed: enrichment': 'enrichment', 'Failed: CRM upsert': 'crm', 'Failed: enrollment': 'enrollment' };
const HTTP_NODES = { 'Enrich (Apollo)': 'enrichment', 'Upsert contact (HubSpot)': 'crm', 'Enroll in sequence (Outreach)': 'enrollment' };

async function build() {
	if (process.env.DEMO_SKIP_BUILD === '1') return say('build skipped (DEMO_SKIP_BUILD=1)');
	if (process.env.DEMO_BUILD === 'if-stale') {
		// Under the e2e suite other tests may build at the same time: build under the host's lock, only when stale.
		const { ensureBuilt } = await import('../scripts/n8n-host.mjs');
		return say(ensureBuilt(repo, { log: say }) ? 'built' : 'dist/ is up to date');
	}
	say('npm run build');
	const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: repo, stdio: ['ignore', 'inherit', 'inherit'] });
	if (r.status !== 0) throw new Error(`npm run build failed (exit ${r.status})`);
}

/** Points the example workflow at this run's mock and lead file, the only two things a user would change too. */
function patchWorkflow(wf, apiBaseUrl, leadsFile) {
	const config = wf.nodes.find((n) => n.name === 'Config');
	for (const a of config.parameters.assignments.assignments) {
		if (a.name === 'apiBaseUrl') a.value = apiBaseUrl;
		if (a.name === 'leadsFile') a.value = leadsFile;
	}
	// DEMO_PRESET=generic runs every call with one preset, to compare against the platform presets.
	if (process.env.DEMO_PRESET) for (const n of wf.nodes) if (n.type.endsWith('.resilientHttp')) n.parameters.preset = process.env.DEMO_PRESET;
	// The mock answers at any rate (its 429 windows test the reactive path), so pacing at the vendors' real limits
	// would only make the story slow: Outreach's 10,000 per hour alone spreads 4,000 enrollments over ~25 minutes.
	// DEMO_RATE_LIMIT=preset keeps the workflow's own setting (the presets' limits).
	const rateLimit = process.env.DEMO_RATE_LIMIT || 'off';
	if (rateLimit !== 'preset') for (const n of wf.nodes) if (n.type.endsWith('.resilientHttp')) n.parameters.rateLimit = rateLimit;
	return wf;
}

/** Failed items per stage from n8n's run data; the NoOp sinks, or the Failed output itself when a sink did not run. */
function failedItems(result) {
	const out = [];
	for (const [node, stage] of Object.entries(FAILED_NODES)) {
		let items = result.items(node, 0);
		if (items.length === 0) {
			const http = Object.keys(HTTP_NODES).find((h) => HTTP_NODES[h] === stage);
			items = result.items(http, 1);
		}
		for (const json of items) out.push({ stage, json });
	}
	return out;
}

async function main() {
	const all = parseCsv(readFileSync(join(repo, 'demo', 'leads.csv'), 'utf8'));
	const count = Math.min(all.length, Number(process.env.DEMO_LEADS || all.length));
	const leads = all.slice(0, count);
	await build();

	const { createHost } = await import('../scripts/n8n-host.mjs');
	const inputDir = join(repo, '.tmp', 'demo-input');
	mkdirSync(inputDir, { recursive: true });
	const leadsFile = join(inputDir, 'leads.csv');
	writeFileSync(leadsFile, toCsv(leads));
	say('making sure an n8n host is installed (first run installs it once, outside the clone)');
	const host = await createHost({ packageDir: repo, env: { N8N_RESTRICT_FILE_ACCESS_TO: inputDir }, log: (m) => say(`n8n-host: ${m}`) });

	const storyPath = process.env.DEMO_STORY || join(repo, 'demo', 'mock-api', 'story.json');
	const story = scaleStory(JSON.parse(readFileSync(storyPath, 'utf8')), count);
	const mock = await startMockApi({ port: 0, config: story });
	let result;
	try {
		say(`n8n ${host.version}: installing this package from a tarball (npm pack), as a user would`);
		await host.installPackage({ method: process.env.DEMO_INSTALL || 'npm' }); // 'ui': as n8n's Community Nodes screen installs
		const wf = patchWorkflow(JSON.parse(readFileSync(join(repo, 'examples', 'lead-pipeline.json'), 'utf8')), mock.url, leadsFile);
		const id = await host.importWorkflow(wf);
		const crm = story.routes.crm?.outage?.[0];
		say(`mock GTM API on ${mock.url}; the story: CRM answers 503 at "${crm?.label}" (after ${crm?.afterRequests} CRM calls, for ${crm?.durationMs / 1000} s), 429 bursts, resets, slow answers, ${leads.length} leads`);
		say('running the workflow in n8n (n8n execute)…');
		result = await executeToFile(host, id, { timeoutMs: 20 * 60_000 });
		say(`n8n finished in ${(result.durationMs / 1000).toFixed(1)} s: ${result.ok ? 'success' : `NOT successful (exit ${result.code}) ${result.error?.message ?? ''}`}`);
		if (!result.run) say(`no run data could be read from n8n; its output ends with:\n${(result.stdout + result.stderr).slice(-3000)}`);
	} finally {
		await host.cleanup();
	}

	const ledger = await (await fetch(`${mock.url}/__ledger`)).json();
	await mock.close();
	const failed = result?.run ? failedItems(result) : [];
	const r = reconcile({ leads, ledger, failed });
	const wallS = Math.round((Date.now() - started) / 1000);
	if (process.env.DEMO_REPORT_FILE) {
		const perLead = Object.fromEntries(failed.map((f) => [f.json.lead_id, { stage: f.stage, outcome: f.json.resilience?.outcome, class: f.json.resilience?.class, reason: f.json.resilience?.reason, attempts: f.json.resilience?.attempts?.length }]));
		writeFileSync(process.env.DEMO_REPORT_FILE, JSON.stringify({ ok: !!result?.ok, summary: { ...r.summary, wall_s: wallS }, byStageClass: r.byStageClass, lost: r.lost, failed: perLead, ledger: { totals: ledger.totals, routes: ledger.routes, faults: ledger.faults, duplicates: ledger.duplicates, plan: ledger.plan } }, null, 2));
	}
	console.log(formatReport(r, ledger, wallS));
	return r.summary.lost > 0 || r.summary.duplicates > 0 || !result?.ok ? 1 : 0;
}

main().then(
	(code) => process.exit(code),
	(err) => {
		console.error(`demo failed: ${err.stack ?? err}`);
		process.exit(2);
	},
);
