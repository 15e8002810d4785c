// One behaviour suite for every DeadLetterStore; each deadletter-*.test.ts here runs it against one backend.
import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { DeadLetterStore } from '../../src/deadletter';
import { attempt, draft, type DeadLetterFixture, type DeadLetterSetup } from './deadletter-fixtures';
import { deadLetterOperationCases } from './deadletter-ops.cases';
import { deadLetterSecretCases } from './deadletter-secrets.cases';

/** Server time runs on between calls, so times are compared within this. */
const SLACK = 1500;

export function deadLetterStoreContract(name: string, setup: DeadLetterSetup): void {
	describe(`DeadLetterStore contract: ${name}`, () => {
		let f: DeadLetterFixture;
		let s: DeadLetterStore;
		beforeEach(async () => {
			f = await setup();
			s = f.store;
		});
		afterEach(async () => f.teardown());

		it('write stores the whole entry, new with no replays; get returns it; an unknown id is undefined', async () => {
			const d = draft('hubspot', { retryAt: '2026-12-04T09:00:00.000Z' });
			const w = await s.write(d);
			assert.equal(w.created, true);
			assert.match(w.id, /^dl_/);
			const e = await s.get(w.id);
			assert.ok(e);
			assert.deepEqual(e, w.entry);
			assert.equal(e.status, 'new');
			assert.equal(e.replayCount, 0);
			assert.equal(e.attemptCount, 2);
			assert.deepEqual(e.item, d.item, 'item kept as is, empty arrays and objects included');
			assert.deepEqual(e.attempts, d.attempts);
			assert.deepEqual(e.classification, d.classification);
			assert.deepEqual(e.request, d.request);
			const same = ['queue', 'firstAttemptAt', 'lastAttemptAt', 'retryAt', 'workflowId', 'workflowName', 'executionId', 'node', 'itemIndex', 'idempotencyKey'] as const;
			for (const k of same) assert.deepEqual(e[k], d[k], k);
			assert.equal(e.createdAt, e.updatedAt);
			assert.equal(await s.get('dl_does_not_exist'), undefined);
		});

		it('a replayed record that fails again returns to its entry: attempts appended, open again, no second entry', async () => {
			const first = await s.write(draft('hubspot', { n: 7 }));
			const [claimed] = await s.claimDue({ queue: 'hubspot', limit: 10 });
			assert.equal(claimed.id, first.id);
			assert.deepEqual([claimed.status, claimed.replayCount], ['requeued', 1]);
			f.advance(2000);
			const again = draft('hubspot', {
				n: 7,
				item: { email: 'lead7@example.com', company: 'Acme', tags: [], nested: { empty: {} }, deadLetter: { id: first.id } },
				attempts: [attempt(3, 429), attempt(4, 429)],
				lastAttemptAt: attempt(4).endedAt,
				classification: { outcome: 'deferred', class: 'quota-wait', reason: 'HTTP 429', status: 429 },
				retryAt: '2026-12-05T00:00:00.000Z',
				executionId: 'exec-2',
			});
			const w = await s.write(again, { replayOf: first.id });
			assert.deepEqual([w.id, w.created], [first.id, false]);
			const e = await s.get(first.id);
			assert.ok(e);
			assert.deepEqual([e.status, e.replayCount, e.attemptCount], ['new', 1, 4]);
			assert.deepEqual(e.attempts.map((a) => a.attempt), [1, 2, 3, 4]);
			assert.deepEqual(e.item, first.entry.item, 'the origin (item) is kept');
			assert.equal(e.classification.class, 'quota-wait');
			assert.deepEqual([e.retryAt, e.executionId, e.firstAttemptAt], ['2026-12-05T00:00:00.000Z', 'exec-2', first.entry.firstAttemptAt]);
			assert.ok(Date.parse(e.updatedAt) >= Date.parse(e.createdAt) + 1500);
			assert.equal((await s.list({ queue: 'hubspot' })).entries.length, 1);
		});

		it('a replay link to an entry that no longer exists creates it under that id', async () => {
			const w = await s.write(draft('q1'), { replayOf: 'dl_gone_123' });
			assert.deepEqual([w.id, w.created], ['dl_gone_123', true]);
			assert.equal((await s.get('dl_gone_123'))?.status, 'new');
		});

		it('list filters by queue, status, class and age; oldest first; pages with a cursor without gaps or repeats', async () => {
			const ids: string[] = [];
			for (let n = 0; n < 7; n++) {
				ids.push((await s.write(draft(n < 5 ? 'crm' : 'enrich', { n, cls: n % 2 ? 'permanent' : 'transient' }))).id);
				f.advance(10_000);
			}
			const seen: string[] = [];
			let cursor: string | undefined;
			let pages = 0;
			do {
				const p = await s.list({ limit: 3, cursor });
				seen.push(...p.entries.map((e) => e.id));
				cursor = p.nextCursor;
				pages++;
			} while (cursor);
			assert.deepEqual(seen, ids, 'all, oldest first, once each');
			assert.equal(pages, 3);
			assert.deepEqual((await s.list({ queue: 'enrich' })).entries.map((e) => e.id), ids.slice(5));
			assert.deepEqual((await s.list({ queue: 'crm', class: 'permanent' })).entries.map((e) => e.id), [ids[1], ids[3]]);
			await s.resolve({ ids: [ids[0]] });
			assert.deepEqual((await s.list({ status: 'resolved' })).entries.map((e) => e.id), [ids[0]]);
			assert.deepEqual((await s.list({ queue: 'crm', status: ['new'] })).entries.map((e) => e.id), ids.slice(1, 5));
			// entry n was written (7 - n) * 10 s before now
			const older = (await s.list({ minAgeMs: 45_000 - SLACK })).entries.map((e) => e.id);
			assert.deepEqual(older, ids.slice(0, 3));
			const newer = (await s.list({ maxAgeMs: 25_000 + SLACK })).entries.map((e) => e.id);
			assert.deepEqual(newer, ids.slice(5));
			const page = await s.list({ queue: 'crm', limit: 2 });
			assert.deepEqual(page.entries.map((e) => e.id), ids.slice(0, 2));
			const next = await s.list({ queue: 'crm', limit: 2, cursor: page.nextCursor });
			assert.deepEqual(next.entries.map((e) => e.id), ids.slice(2, 4));
		});

		it('rejects bad input with a clear error', async () => {
			await assert.rejects(s.write(draft('has space')), /queue name/);
			await assert.rejects(s.write({ ...draft('q'), attempts: undefined as never }), /attempts/);
			await assert.rejects(s.list({ cursor: 'garbage' }), /cursor/);
			await assert.rejects(s.list({ status: 'lost' as never }), /Unknown dead-letter status/);
			await assert.rejects(s.claimDue({ limit: 0 }), /Replay limit/);
		});

		deadLetterOperationCases(() => f, (max) => setup({ maxPerQueue: max }));
		deadLetterSecretCases(() => f);
	});
}
