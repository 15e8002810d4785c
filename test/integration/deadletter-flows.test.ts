// The scenario flows that end in dead letters, played against the scripted mock and written to all three backends:
// exactly `expect.deadLetters` entries, each holding the item, the request and every error status and body received.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { buildDeadLetter, PostgresDeadLetterStore, RedisDeadLetterStore, StaticDataDeadLetterStore, type DeadLetterStore } from '../../src/deadletter';
import { buildReport } from '../../nodes/shared/output';
import { checkFlow } from '../scenarios/checks';
import type { Flow } from '../scenarios/flow-types';
import { playFlow, warmUp, type FlowRun } from '../scenarios/player';
import { deleteKeys } from '../contract/redis-helpers';

const FLOWS = ['B03-400', 'B08', 'B09-no-lookup', 'B10'];
const load = (id: string) => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'scenarios', 'flows', `${id}.json`), 'utf8')) as Flow;

const redis = new Redis({ host: '127.0.0.1', port: 6379 });
const pool = new Pool({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test', max: 3 });
const prefix = `rt-dlq-flows-${randomUUID().slice(0, 8)}`;
const schema = `rt_dlq_flows_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
after(async () => {
	await deleteKeys(redis, `${prefix}:*`);
	await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
	await Promise.all([redis.quit(), pool.end()]);
});

const backends: Array<[string, () => DeadLetterStore]> = [
	['static data', () => new StaticDataDeadLetterStore({ data: {} })],
	['redis', () => new RedisDeadLetterStore(redis, { prefix })],
	['postgres', () => new PostgresDeadLetterStore({ pool, schema })],
];

/** Writes every item that did not succeed, as the Dead Letter Sink would, and returns the ids. */
async function deadLetter(run: FlowRun, store: DeadLetterStore, queue: string): Promise<string[]> {
	const ids: string[] = [];
	for (const [n, item] of run.items.entries()) {
		if (item.outcome === 'success' || !item.result) continue;
		const step = run.flow.steps[item.stepIndex];
		const report = buildReport(item.result, { method: step.method, url: `http://mock.test${step.path ?? '/'}`, idempotencyKey: item.idempotencyKey });
		const draft = buildDeadLetter(report, {
			queue,
			item: { step: item.stepIndex, body: step.body },
			requestHeaders: step.headers,
			requestBody: step.body,
			workflowId: 'scenarios',
			workflowName: run.flow.title,
			executionId: `${run.flow.id}-${item.run}`,
			node: 'Resilient HTTP',
			itemIndex: n,
		});
		ids.push((await store.write(draft)).id);
	}
	return ids;
}

describe('dead-letter scenario flows on every backend', { timeout: 120_000 }, () => {
	const runs = new Map<string, FlowRun>();
	before(async () => {
		await warmUp();
		for (const id of FLOWS) runs.set(id, await playFlow(load(id)));
	});

	for (const id of FLOWS) {
		for (const [name, make] of backends) {
			it(`${id} → ${name}: ${load(id).expect.deadLetters} entr(y/ies) with every error status and body`, async () => {
				const run = runs.get(id)!;
				assert.deepEqual(checkFlow(run), [], 'the flow itself plays as the scenario expects');
				const store = make();
				const queue = `flow-${id}`;
				const ids = await deadLetter(run, store, queue);
				const stats = await store.stats(queue);
				assert.equal(stats.queues[0]?.depth ?? 0, run.flow.expect.deadLetters);
				// The mock's answers, in order, are exactly the attempts the items recorded (single client, sequential steps).
				const answered = run.server.requests.map((r) => r.status ?? null);
				const recorded = run.items.flatMap((i) => i.result?.attempts.map((a) => a.status ?? null) ?? []);
				assert.deepEqual(recorded, answered);
				let offset = 0;
				for (const item of run.items) {
					const mine = run.server.requests.slice(offset, offset + (item.result?.attempts.length ?? 0));
					offset += mine.length;
					if (item.outcome === 'success') continue;
					const e = await store.get(ids.shift()!);
					assert.ok(e, 'entry stored');
					assert.deepEqual(e.attempts.map((a) => a.status ?? null), mine.map((r) => r.status ?? null), 'every status received');
					assert.deepEqual(e.classification.outcome, item.outcome);
					assert.deepEqual(e.item, { step: item.stepIndex, body: run.flow.steps[item.stepIndex].body });
					assert.equal(e.request.method, run.flow.steps[item.stepIndex].method);
					for (const a of e.attempts) if (a.status !== undefined) assert.ok(a.bodyExcerpt.length > 0 || a.status === 204, 'body excerpt kept');
				}
			});
		}
	}
});
