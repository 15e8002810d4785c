// DEMO_DEAD_LETTERS=postgres npm run demo. Phase 1 runs examples/lead-pipeline-dead-letters.json: each Resilient HTTP
// stage dead-letters its Failed items to one PostgreSQL table (queues enrich, crm, enroll), and the CRM's 2:47 AM outage
// outlasts that stage's 5 s retry window, so the leads caught in it end there deferred. Phase 2 clears the faults and
// runs examples/lead-pipeline-replay.json in the same n8n. Both phases are reconciled from the mock's ledger and the table.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { executeToFile } from '../execute-to-file.mjs';
import { reconcile } from '../reconcile.mjs';
import { build, elapsedS, failedItems, installPackage, patchWorkflow, prepareLeads, repo, say, sayStory, startHost, startStory } from '../pipeline.mjs';
import { checkPhase1, reconcileReplay, routeDelta, rowsByQueueClass } from './checks.mjs';
import { openDeadLetterDb } from './db.mjs';
import { formatFinal, formatPhase1, formatPhase2 } from './report.mjs';

// Made up per run: the check below proves none of them reaches a row, and n8n's output is searched for them too.
const secrets = () => Object.fromEntries(['apollo', 'hubspot', 'outreach'].map((k) => [k, `demo-${k}-secret-${randomBytes(8).toString('hex')}`]));

/** The four credentials the workflows name (REPLACE_ME_*), imported into n8n; returns placeholder → id. */
async function importCredentials(host, db, s) {
	const list = [
		['REPLACE_ME_APOLLO', { name: 'Apollo API key', type: 'httpHeaderAuth', data: { name: 'X-Api-Key', value: s.apollo } }],
		['REPLACE_ME_HUBSPOT', { name: 'HubSpot app token', type: 'hubspotAppToken', data: { appToken: s.hubspot } }],
		['REPLACE_ME_OUTREACH', { name: 'Outreach token', type: 'httpBearerAuth', data: { token: s.outreach } }],
		['REPLACE_ME_PG', { name: 'Dead letters (PostgreSQL)', type: 'resiliencePostgresApi', data: db.credential }],
	];
	const ids = await host.importCredentials(list.map(([, c]) => c));
	return Object.fromEntries(list.map(([placeholder], i) => [placeholder, ids[i]]));
}

function loadExample(file, mock, leadsFile, credIds) {
	let text = readFileSync(join(repo, 'examples', file), 'utf8');
	for (const [placeholder, id] of Object.entries(credIds)) text = text.replaceAll(placeholder, id);
	return patchWorkflow(JSON.parse(text), mock.url, leadsFile);
}

const ledgerOf = async (mock) => (await fetch(`${mock.url}/__ledger`)).json();

async function runPhase(host, wf, label) {
	const id = await host.importWorkflow(wf);
	say(`${label}: running "${wf.name}" in n8n (n8n execute)…`);
	const r = await executeToFile(host, id, { timeoutMs: 20 * 60_000 });
	say(`${label}: n8n finished in ${(r.durationMs / 1000).toFixed(1)} s: ${r.ok ? 'success' : `NOT successful (exit ${r.code}) ${r.error?.message ?? ''}`}`);
	if (!r.run) say(`no run data could be read from n8n; its output ends with:\n${(r.stdout + r.stderr).slice(-3000)}`);
	return { id, r };
}

const leaked = (text, s) => Object.entries(s).filter(([, v]) => text.includes(v)).map(([k]) => k);

export async function main() {
	const { leads, count, inputDir, leadsFile } = prepareLeads();
	await build();
	const db = await openDeadLetterDb();
	say(`dead letters go to PostgreSQL ${db.server.host}:${db.server.port}, database ${db.database}, table ${db.schema}.dead_letter_queue`);
	const host = await startHost(inputDir);
	const { story, mock } = await startStory(count);
	const s = secrets();
	const out = {};
	try {
		await installPackage(host);
		const credIds = await importCredentials(host, db, s);
		sayStory(story, mock, leads);
		const p1 = await runPhase(host, loadExample('lead-pipeline-dead-letters.json', mock, leadsFile, credIds), 'phase 1');
		Object.assign(out, { p1, ledger1: await ledgerOf(mock), rows1: await db.rows(), raw1: await db.rawText() });
		out.failed = p1.r.run ? failedItems(p1.r) : [];
		say(`phase 1: ${out.failed.length} item(s) on Failed outputs, ${out.rows1.length} row(s) in the dead-letter table`);

		// Deferred rows carry a retryAt (the end of a rate-limit window): a replay before it would leave them waiting.
		const wait = await db.msUntilDue();
		if (wait > 0) say(`waiting ${(wait / 1000).toFixed(1)} s until the last deferred row is due`), await sleep(wait + 250);
		const clean = { seed: story.seed, excludedDomains: story.excludedDomains, routes: {} };
		await fetch(`${mock.url}/__faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(clean) });
		say('the faults cleared (PUT /__faults with no faults): the CRM is back, no more 429 bursts or resets');
		const p2 = await runPhase(host, loadExample('lead-pipeline-replay.json', mock, leadsFile, credIds), 'phase 2');
		Object.assign(out, { p2, ledger2: await ledgerOf(mock), rows2: await db.rows(), raw2: await db.rawText() });
	} finally {
		await host.cleanup();
		await mock.close();
		await db.close();
	}

	const r1 = reconcile({ leads, ledger: out.ledger1, failed: out.failed });
	const problems = checkPhase1({ failed: out.failed, rows: out.rows1, workflowId: out.p1.id, rawTable: out.raw1 + out.raw2, secrets: s });
	for (const [phase, r] of [['phase 1', out.p1.r], ['phase 2', out.p2.r]]) for (const k of leaked(r.stdout, s)) problems.push(`the ${k} secret is in n8n's ${phase} output`);
	// Secrets absent from the table prove something only if the requests really carried them.
	for (const [route, x] of Object.entries(out.ledger2.routes)) if ((x.signed ?? 0) < x.total) problems.push(`${x.total - (x.signed ?? 0)} ${route} request(s) carried no credential`);
	const byQueueClass = rowsByQueueClass(out.rows1, out.rows2);
	const rec = reconcileReplay({ leads, ledger: out.ledger2, rows: out.rows2 });
	const wallS = elapsedS();
	console.log(formatPhase1(r1, out.ledger1, wallS, byQueueClass, out.rows1, problems));
	console.log(formatPhase2(routeDelta(out.ledger1, out.ledger2), byQueueClass, out.rows2, out.p2.r.durationMs / 1000));
	console.log(formatFinal(rec, out.ledger2, leads, wallS));

	const ok = out.p1.r.ok && out.p2.r.ok && !problems.length;
	if (process.env.DEMO_REPORT_FILE) {
		const ledger = (l) => ({ totals: l.totals, routes: l.routes, faults: l.faults, duplicates: l.duplicates, plan: l.plan, leads: l.leads });
		writeFileSync(
			process.env.DEMO_REPORT_FILE,
			JSON.stringify({ ok, mode: 'postgres', database: db.database, schema: db.schema, workflows: { pipeline: out.p1.id, replay: out.p2.id }, phase1: { summary: r1.summary, problems, phase1S: out.p1.r.durationMs / 1000 }, phase2: { replayS: out.p2.r.durationMs / 1000 }, byQueueClass, figures: rec.figures, lost: rec.lost, undeliveredGood: rec.undeliveredGood, wall_s: wallS, ledgerPhase1: ledger(out.ledger1), ledger: ledger(out.ledger2) }, null, 2),
		);
	}
	const bad = rec.lost.length || out.ledger2.duplicates.length || rec.undeliveredGood.length || rec.resolvedUndelivered.length || rec.secondRow.length;
	return ok && !bad ? 0 : 1;
}
