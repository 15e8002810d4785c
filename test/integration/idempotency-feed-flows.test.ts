// "Only new items" across runs (B21 manual, B21-triggered) with the ledger as the seen-items store: each feed
// item's post is guarded by a key derived from its guid, so a later run posts only what is new.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAxiosSend, createClassifier, executeWithRetry, getPreset, resolvePolicy, type RetryPolicy } from '../../src';
import { deriveKey, EmbeddedIdempotencyLedger, executeGuarded, type LedgerSnapshot } from '../../src/idempotency';
import { createEmbeddedCache, type EmbeddedCache } from '../../src/store';
import { checkFlow } from '../scenarios/checks';
import type { Flow } from '../scenarios/flow-types';
import { CLIENT_HEADER, RUN_HEADER, ScriptedServer } from '../scenarios/mock-server';
import type { ItemRun } from '../scenarios/player';

const load = (id: string) => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'scenarios', 'flows', `${id}.json`), 'utf8')) as Flow;

const feedItems = (xml: string) =>
	[...xml.matchAll(/<item>\s*<guid>([^<]*)<\/guid>\s*<title>([^<]*)<\/title>\s*<\/item>/g)].map(([, guid, title]) => ({ guid, title }));

const fill = (v: unknown, item: Record<string, string>): unknown =>
	typeof v === 'string' ? v.replace(/\{\{item\.(\w+)\}\}/g, (_, f: string) => item[f] ?? '') : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x, item)])) : v;

/** One workflow execution: read the feed, post each item not posted before (in this run or an earlier one). */
async function runOnce(flow: Flow, base: string, run: string, ledger: EmbeddedIdempotencyLedger, items: ItemRun[]): Promise<void> {
	const preset = getPreset(flow.preset);
	const policy: RetryPolicy = resolvePolicy(preset, { jitter: 'additive' });
	const classify = createClassifier({ preset, policy });
	const headers = { [CLIENT_HEADER]: '1', [RUN_HEADER]: run };
	const exec = (method: string, url: string, body: unknown, idempotencyKey?: string) =>
		executeWithRetry({
			request: { method, url, idempotencyKey },
			policy,
			classify,
			send: createAxiosSend({ method, url, headers, body, idempotencyKey, timeoutMs: policy.timeoutMs }),
			clock: { now: () => Date.now() },
			sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
			random: () => Math.random() * 0.8,
		});
	const [read, post] = flow.steps;
	const t0 = Date.now();
	const feed = await exec(read.method, `${base}${read.path}`, undefined);
	items.push({ client: 1, run, stepIndex: 0, startedAt: t0, settledAt: Date.now(), result: feed, outcome: feed.outcome, messages: [], warned: false });
	const xml = feed.last?.kind === 'response' ? feed.last.response.body : '';
	for (const entry of feedItems(xml)) {
		const started = Date.now();
		const g = await executeGuarded({
			ledger,
			owner: `run-${run}`,
			key: deriveKey(entry, [post.dedupeKey!], { prefix: 'feed-post' }),
			// the key is the ledger's; a feed API has no Idempotency-Key, so none is sent
			run: () => exec(post.method, `${base}${post.path}`, fill(post.body, entry)),
		});
		if (g.status === 'executed') items.push({ client: 1, run, stepIndex: 1, startedAt: started, settledAt: Date.now(), result: g.result, outcome: g.result.outcome, messages: [], warned: false });
	}
}

async function play(id: string, between: (cache: EmbeddedCache, snapshot: LedgerSnapshot) => EmbeddedCache): Promise<{ failures: string[]; posts: number }> {
	const flow = load(id);
	const server = new ScriptedServer(flow);
	const base = await server.start();
	const items: ItemRun[] = [];
	let cache = createEmbeddedCache(1000);
	const start = (server.scenarioStart = Date.now());
	for (const [i, r] of (flow.runs ?? []).entries()) {
		const ledger = new EmbeddedIdempotencyLedger({ cache, namespace: 'wf:feed' });
		if (i > 0) cache = between(cache, ledger.snapshot());
		await runOnce(flow, base, String(r.id), new EmbeddedIdempotencyLedger({ cache, namespace: 'wf:feed' }), items);
	}
	await server.close();
	const posts = server.requests.filter((q) => q.method === 'POST').length;
	return { failures: checkFlow({ flow, server, start, items }), posts };
}

describe('feed "only new items" flows with the ledger as the seen-items store', () => {
	it('B21: two manual runs in one n8n process share the process-wide ledger: run 2 posts only item c', async () => {
		const { failures, posts } = await play('B21', (cache) => cache);
		assert.deepEqual(failures, []);
		assert.equal(posts, 3, 'the preferred result: a, b, then only c');
	});

	it('B21-triggered: run 2 after a restart, from the static-data snapshot alone, posts only item c', async () => {
		const { failures, posts } = await play('B21-triggered', (_old, snapshot) => {
			const fresh = createEmbeddedCache(1000);
			new EmbeddedIdempotencyLedger({ cache: fresh, namespace: 'wf:feed', initialState: JSON.parse(JSON.stringify(snapshot)) as LedgerSnapshot });
			return fresh;
		});
		assert.deepEqual(failures, []);
		assert.equal(posts, 3);
	});
});
