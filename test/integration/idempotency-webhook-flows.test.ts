// The webhook idempotency flows (B15, B16, B16-keeps-failing) played through a consumer built on the ledger,
// against the scenario mock; checked with the scenario checks plus deliveryResponses and processedEvents.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { RedisDeadLetterStore, StaticDataDeadLetterStore, type DeadLetterStore } from '../../src/deadletter';
import { EmbeddedIdempotencyLedger, RedisIdempotencyLedger, type IdempotencyLedger } from '../../src/idempotency';
import { createEmbeddedCache } from '../../src/store';
import { checkFlow } from '../scenarios/checks';
import type { Flow } from '../scenarios/flow-types';
import { ScriptedServer } from '../scenarios/mock-server';
import { WebhookConsumer } from './idempotency-webhook-consumer';
import { deleteKeys } from '../contract/redis-helpers';

type Delivery = { id: string; atMs: number; method: string; path: string; headers?: Record<string, string>; body: unknown; senderTimeoutMs: number; onlyIfPreviousFailed?: boolean };
type Answer = { status: number | null; ms: number; skipped?: boolean };

const load = (id: string) => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'scenarios', 'flows', `${id}.json`), 'utf8')) as Flow;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const is2xx = (a: Answer) => a.status !== null && a.status >= 200 && a.status < 300;

/** The sender: each delivery at S + atMs; a redelivery only if the previous one got no 2xx within its timeout. */
function deliver(deliveries: Delivery[], url: string, start: number): Promise<Record<string, Answer>> {
	const answers: Array<Promise<Answer>> = [];
	for (const [i, d] of deliveries.entries()) {
		const previous = answers[i - 1];
		answers.push(
			(async (): Promise<Answer> => {
				// a skipped redelivery means the event was acknowledged earlier, so the ones after it are skipped too
				if (d.onlyIfPreviousFailed && previous) {
					const p = await previous;
					if (p.skipped || is2xx(p)) return { status: null, ms: 0, skipped: true };
				}
				await sleep(start + d.atMs - Date.now());
				const t0 = Date.now();
				try {
					const res = await fetch(`${url}${d.path}`, { method: d.method, headers: { 'Content-Type': 'application/json', ...d.headers }, body: JSON.stringify(d.body), signal: AbortSignal.timeout(d.senderTimeoutMs) });
					await res.arrayBuffer();
					return { status: res.status, ms: Date.now() - t0 };
				} catch {
					return { status: null, ms: Date.now() - t0 };
				}
			})(),
		);
	}
	return Promise.all(answers).then((all) => Object.fromEntries(all.map((a, i) => [deliveries[i].id, a])));
}

async function play(id: string, ledger: IdempotencyLedger, deadLetters: DeadLetterStore): Promise<string[]> {
	const flow = load(id);
	const server = new ScriptedServer(flow);
	const consumer = new WebhookConsumer(flow, await server.start(), ledger, deadLetters);
	const url = await consumer.start();
	const start = (server.scenarioStart = Date.now());
	const answers = await deliver(flow.deliveries as Delivery[], url, start);
	await consumer.close();
	await sleep(200);
	await server.close();
	const failures = checkFlow({ flow, server, start, items: consumer.items }).filter((f) => !/the player cannot check this yet/.test(f));
	for (const [d, want] of Object.entries((flow.expect.deliveryResponses ?? {}) as Record<string, { status: string; withinMs?: number }>)) {
		const a = answers[d];
		const ok = want.status === 'any' || (want.status === '2xx') === is2xx(a);
		if (!ok || (want.withinMs !== undefined && a.ms > want.withinMs)) failures.push(`deliveryResponses.${d}: got ${a.status} in ${a.ms} ms, want ${want.status} within ${want.withinMs}`);
	}
	const events = [...new Set((flow.deliveries as Delivery[]).map((d) => (d.body as { id: string }).id))];
	const processed: string[] = [];
	for (const e of events) if ((await ledger.check(WebhookConsumer.eventKey({ id: e }))).state === 'completed') processed.push(e);
	const want = (flow.expect.finalState as { processedEvents?: string[] } | undefined)?.processedEvents;
	if (want && JSON.stringify(processed) !== JSON.stringify(want)) failures.push(`finalState.processedEvents: got ${JSON.stringify(processed)}, want ${JSON.stringify(want)}`);
	failures.push(...(await checkDeadLetters(flow, server, deadLetters)));
	console.log(`# ${id}: deliveries ${JSON.stringify(answers)} claims ${consumer.claims.join(',')} requests ${server.requests.length} effects ${JSON.stringify(server.effects)} processed ${JSON.stringify(processed)}`);
	return failures;
}

/** The store holds exactly expect.deadLetters open entries, each holding its event and every status and body the mock answered. */
async function checkDeadLetters(flow: Flow, server: ScriptedServer, store: DeadLetterStore): Promise<string[]> {
	const failures: string[] = [];
	const { entries } = await store.list({ queue: 'webhook-events', status: 'new' });
	const want = flow.expect.deadLetters ?? 0;
	if (entries.length !== want) failures.push(`deadLetters: got ${entries.length} entries in the store, want ${want}`);
	if (!entries.length) return failures;
	const answered = server.requests.map((r) => r.status ?? null);
	for (const e of entries) {
		const eventId = (e.item as { id?: string }).id;
		if (e.id !== WebhookConsumer.deadLetterId(String(eventId))) failures.push(`dead letter ${e.id} does not hold its event (item.id ${eventId})`);
		const statuses = e.attempts.map((a) => a.status ?? null);
		if (JSON.stringify(statuses) !== JSON.stringify(answered)) failures.push(`dead letter ${e.id}: attempt statuses ${JSON.stringify(statuses)}, mock answered ${JSON.stringify(answered)}`);
		if (e.attempts.some((a) => a.status !== undefined && a.status >= 400 && !a.bodyExcerpt)) failures.push(`dead letter ${e.id}: an error attempt without its body`);
	}
	return failures;
}

describe('webhook idempotency flows through the ledger', { timeout: 120_000 }, () => {
	const redis = new Redis({ host: '127.0.0.1', port: 6379 });
	const prefix = `rt-idem-flows-${randomUUID().slice(0, 8)}`;
	after(async () => {
		await deleteKeys(redis, `${prefix}:*`);
		await redis.quit();
	});
	const embedded = () => new EmbeddedIdempotencyLedger({ cache: createEmbeddedCache(100), namespace: 'wf:flows' });

	// B15 on Redis (the copies could land on different workers), the B16 pair on the embedded ledger.
	const staticData = () => new StaticDataDeadLetterStore({ data: {} });
	const cases: Array<[string, () => IdempotencyLedger, () => DeadLetterStore]> = [
		['B15', () => new RedisIdempotencyLedger(redis, { prefix, namespace: 'wf:flows' }), () => new RedisDeadLetterStore(redis, { prefix, namespace: 'wf:flows' })],
		['B16', embedded, staticData],
		['B16-keeps-failing', embedded, staticData],
	];
	for (const [id, ledger, deadLetters] of cases) {
		it(`${id}: ${load(id).title}`, async () => {
			const failures = await play(id, ledger(), deadLetters());
			assert.deepEqual(failures, [], `${id} broke ${failures.length} expectation(s):\n  ${failures.join('\n  ')}`);
		});
	}
});
