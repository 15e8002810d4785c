// The static-data backend's limits and its life inside n8n's workflow static data.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isDeadLetterCapacityError, StaticDataDeadLetterStore, STATIC_DATA_LIMITS } from '../../../src/deadletter';
import { attempt, draft } from '../../contract/deadletter-fixtures';

const clock = () => {
	let now = Date.UTC(2026, 11, 3, 1, 0, 0);
	return { now: () => now, advance: (ms: number) => (now += ms) };
};

describe('StaticDataDeadLetterStore', () => {
	it('states its limits: 200 entries, 100 per queue, 16 KB per entry', () => {
		assert.deepEqual(STATIC_DATA_LIMITS, { maxEntries: 200, maxPerQueue: 100, maxEntryBytes: 16_384 });
		assert.deepEqual(new StaticDataDeadLetterStore({ data: {} }).limits, { maxEntries: 200, maxPerQueue: 100, maxEntryBytes: 16_384 });
	});

	it('refuses an entry over the size cap with a message naming the limit and the way out', async () => {
		const s = new StaticDataDeadLetterStore({ data: {}, maxEntryBytes: 4096 });
		const big = draft('q', { item: { notes: 'n'.repeat(6000) } });
		await assert.rejects(s.write(big), (e: unknown) => isDeadLetterCapacityError(e) && /at most 4096 bytes per entry.*Redis or PostgreSQL.*NOT stored/s.test((e as Error).message));
		assert.equal((await s.list()).entries.length, 0);
	});

	it('a replay failure that outgrows the cap drops the oldest attempts, never the entry; attemptCount keeps counting', async () => {
		const s = new StaticDataDeadLetterStore({ data: {}, maxEntryBytes: 6000 });
		const w = await s.write(draft('q'));
		for (let r = 0; r < 8; r++) {
			const more = Array.from({ length: 4 }, (_, i) => attempt(3 + r * 4 + i, 503, { bodyExcerpt: 'e'.repeat(300) }));
			await s.write(draft('q', { attempts: more }), { replayOf: w.id });
		}
		const e = await s.get(w.id);
		assert.ok(e);
		assert.equal(e.attemptCount, 34);
		assert.ok(e.attempts.length < 34 && e.attempts.length > 0, `kept ${e.attempts.length}`);
		assert.equal(e.attempts[e.attempts.length - 1].attempt, 34, 'the newest attempts are the ones kept');
		assert.ok(Buffer.byteLength(JSON.stringify(e)) <= 6000);
	});

	it('the cap across queues refuses a write when every entry is open, and trims closed ones first', async () => {
		const s = new StaticDataDeadLetterStore({ data: {}, maxEntries: 4, maxPerQueue: 3 });
		const ids = [];
		for (const q of ['a', 'a', 'b', 'b']) ids.push((await s.write(draft(q))).id);
		await assert.rejects(s.write(draft('c')), /holds 4 open dead letters.*NOT stored/s);
		await s.resolve({ ids: [ids[2]] });
		await s.write(draft('c'));
		assert.equal(await s.get(ids[2]), undefined);
		assert.equal((await s.stats()).queues.reduce((n, q) => n + q.depth, 0), 4);
	});

	it('lives as plain JSON under staticData.deadLetters, re-assigned on every change so n8n saves it', async () => {
		const sets: string[] = [];
		const target: Record<string, unknown> = { other: 1 };
		// Like n8n's static data: every nested object is a proxy too (and a proxy cannot be structuredClone'd).
		const deep = (o: Record<string, unknown>): Record<string, unknown> =>
			new Proxy(o, {
				get: (t, k) => (t[k as string] && typeof t[k as string] === 'object' ? deep(t[k as string] as Record<string, unknown>) : t[k as string]),
				set(t, k, v) {
					sets.push(String(k));
					t[k as string] = v;
					return true;
				},
			});
		const data = deep(target);
		assert.throws(() => structuredClone(data));
		const t = clock();
		const s = new StaticDataDeadLetterStore({ data, clock: t });
		const w = await s.write(draft('q'));
		await s.claimDue({ limit: 5 });
		assert.ok(sets.filter((k) => k === 'deadLetters').length >= 3, `sets: ${sets}`);
		// What n8n stores and loads back is JSON: a new store over the parsed copy sees the same entries.
		const restored = new StaticDataDeadLetterStore({ data: JSON.parse(JSON.stringify(target)), clock: t });
		assert.deepEqual(await restored.get(w.id), await s.get(w.id));
		assert.equal((await restored.get(w.id))?.status, 'requeued');
		assert.equal(target.other, 1, 'other static data is left alone');
	});
});
