#!/usr/bin/env node
// `npm run demo`: 4,000 leads through enrich → CRM upsert → sequence enrollment in a real n8n, against a mock GTM API
// that fails the way the story says; then every lead is reconciled from the mock's ledger and n8n's Failed outputs.
// Env: DEMO_LEADS (default 4000), DEMO_SKIP_BUILD=1 or DEMO_BUILD=if-stale, DEMO_PRESET=<one preset for every call>,
// DEMO_RATE_LIMIT=preset (pace at the presets' limits; default off against the mock), DEMO_REPORT_FILE=<path> (JSON summary), DEMO_STORY=<config path>.
// DEMO_DEAD_LETTERS=postgres: the Failed items go to a PostgreSQL table, and a replay workflow delivers them (demo/dead-letters/).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatReport, reconcile } from './reconcile.mjs';
import { executeToFile } from './execute-to-file.mjs';
import { build, elapsedS, failedItems, installPackage, patchWorkflow, prepareLeads, repo, say, sayStory, startHost, startStory } from './pipeline.mjs';

async function main() {
	const { leads, count, inputDir, leadsFile } = prepareLeads();
	await build();
	const host = await startHost(inputDir);
	const { story, mock } = await startStory(count);
	let result;
	try {
		await installPackage(host);
		const wf = patchWorkflow(JSON.parse(readFileSync(join(repo, 'examples', 'lead-pipeline.json'), 'utf8')), mock.url, leadsFile);
		const id = await host.importWorkflow(wf);
		sayStory(story, mock, leads);
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
	const wallS = elapsedS();
	if (process.env.DEMO_REPORT_FILE) {
		const perLead = Object.fromEntries(failed.map((f) => [f.json.lead_id, { stage: f.stage, outcome: f.json.resilience?.outcome, class: f.json.resilience?.class, reason: f.json.resilience?.reason, attempts: f.json.resilience?.attempts?.length }]));
		writeFileSync(process.env.DEMO_REPORT_FILE, JSON.stringify({ ok: !!result?.ok, summary: { ...r.summary, wall_s: wallS }, byStageClass: r.byStageClass, lost: r.lost, failed: perLead, ledger: { totals: ledger.totals, routes: ledger.routes, faults: ledger.faults, duplicates: ledger.duplicates, plan: ledger.plan } }, null, 2));
	}
	console.log(formatReport(r, ledger, wallS));
	return r.summary.lost > 0 || r.summary.duplicates > 0 || !result?.ok ? 1 : 0;
}

const mode = process.env.DEMO_DEAD_LETTERS;
const run = mode === 'postgres' ? import('./dead-letters/run.mjs').then((m) => m.main()) : mode ? Promise.reject(new Error(`DEMO_DEAD_LETTERS=${mode}: only "postgres" is supported`)) : main();
run.then(
	(code) => process.exit(code),
	(err) => {
		console.error(`demo failed: ${err.stack ?? err}`);
		process.exit(2);
	},
);
