// What both demo modes share: building the package, preparing the leads, the n8n host and the mock, pointing the
// pipeline workflow at them, and reading the items n8n put on each Failed output.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMockApi } from './mock-api/server.mjs';
import { parseCsv, toCsv } from './generate-leads.mjs';
import { scaleStory } from './reconcile.mjs';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const FAILED_NODES = { 'Failed: enrichment': 'enrichment', 'Failed: CRM upsert': 'crm', 'Failed: enrollment': 'enrollment' };
export const HTTP_NODES = { 'Enrich (Apollo)': 'enrichment', 'Upsert contact (HubSpot)': 'crm', 'Enroll in sequence (Outreach)': 'enrollment' };

const started = Date.now();
export const elapsedS = () => Math.round((Date.now() - started) / 1000);
export const say = (m) => console.log(`[demo ${String(elapsedS()).padStart(3)}s] ${m}`);

export async function build() {
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

/** The first DEMO_LEADS rows of demo/leads.csv, written where n8n may read them. */
export function prepareLeads() {
	const all = parseCsv(readFileSync(join(repo, 'demo', 'leads.csv'), 'utf8'));
	const count = Math.min(all.length, Number(process.env.DEMO_LEADS || all.length));
	const leads = all.slice(0, count);
	const inputDir = join(repo, '.tmp', 'demo-input');
	mkdirSync(inputDir, { recursive: true });
	const leadsFile = join(inputDir, 'leads.csv');
	writeFileSync(leadsFile, toCsv(leads));
	return { leads, count, inputDir, leadsFile };
}

export async function startHost(inputDir) {
	const { createHost } = await import('../scripts/n8n-host.mjs');
	say('making sure an n8n host is installed (first run installs it once, outside the clone)');
	return await createHost({ packageDir: repo, env: { N8N_RESTRICT_FILE_ACCESS_TO: inputDir }, log: (m) => say(`n8n-host: ${m}`) });
}

/** The story (DEMO_STORY or demo/mock-api/story.json) scaled to the lead count, and the mock playing it. */
export async function startStory(count) {
	const storyPath = process.env.DEMO_STORY || join(repo, 'demo', 'mock-api', 'story.json');
	const story = scaleStory(JSON.parse(readFileSync(storyPath, 'utf8')), count);
	const mock = await startMockApi({ port: 0, config: story });
	return { story, mock };
}

export async function installPackage(host) {
	say(`n8n ${host.version}: installing this package from a tarball (npm pack), as a user would`);
	await host.installPackage({ method: process.env.DEMO_INSTALL || 'npm' }); // 'ui': as n8n's Community Nodes screen installs
}

export function sayStory(story, mock, leads) {
	const crm = story.routes.crm?.outage?.[0];
	say(`mock GTM API on ${mock.url}; the story: CRM answers 503 at "${crm?.label}" (after ${crm?.afterRequests} CRM calls, for ${crm?.durationMs / 1000} s), 429 bursts, resets, slow answers, ${leads.length} leads`);
}

/** Points the example workflow at this run's mock and lead file, the only two things a user would change too. */
export function patchWorkflow(wf, apiBaseUrl, leadsFile) {
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
export function failedItems(result) {
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
