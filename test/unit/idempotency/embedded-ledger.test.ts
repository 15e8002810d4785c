// Embedded-only duties: the process-wide cache, the static-data snapshot, and the LRU bound.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EmbeddedIdempotencyLedger, type LedgerSnapshot } from '../../../src/idempotency';
import { EmbeddedBreakerStore, createEmbeddedCache } from '../../../src/store';
import { resolveBreakerPolicy } from '../../../src/breaker';

describe('EmbeddedIdempotencyLedger', () => {
	it('two ledgers on the process cache (two executions of one workflow) see the same keys', async () => {
		const a = new EmbeddedIdempotencyLedger({ namespace: 'wf:proc-test' });
		const b = new EmbeddedIdempotencyLedger({ namespace: 'wf:proc-test' });
		assert.equal((await a.claim('evt_x', { owner: 'exec-1' })).status, 'new');
		assert.equal((await b.claim('evt_x', { owner: 'exec-2' })).status, 'in-progress');
		await a.complete('evt_x', 'exec-1', { ok: true });
		assert.equal((await b.claim('evt_x', { owner: 'exec-2' })).status, 'duplicate');
	});

	it('survives a restart through its snapshot (workflow static data), as plain JSON', async () => {
		let now = 1_790_000_000_000;
		const clock = { now: () => now };
		const before = new EmbeddedIdempotencyLedger({ cache: createEmbeddedCache(100), clock, namespace: 'wf:1' });
		await before.claim('done', { owner: 'A', fingerprint: 'fp1' });
		await before.complete('done', 'A', { id: 42 });
		await before.claim('held', { owner: 'A', leaseMs: 60_000 });
		await before.claim('short', { owner: 'A' });
		await before.complete('short', 'A', 1, 1000);
		const saved = JSON.parse(JSON.stringify(before)) as LedgerSnapshot;
		assert.deepEqual(Object.keys(saved.entries).sort(), ['done', 'held', 'short']);
		now += 2000;
		const after = new EmbeddedIdempotencyLedger({ cache: createEmbeddedCache(100), clock, namespace: 'wf:1', initialState: saved });
		const dup = await after.claim('done', { owner: 'B', fingerprint: 'fp1' });
		assert.ok(dup.status === 'duplicate' && (dup.result as { id: number }).id === 42);
		assert.equal((await after.claim('done', { owner: 'B', fingerprint: 'fp2' })).status, 'conflict', 'the fingerprint survives too');
		assert.equal((await after.claim('held', { owner: 'B' })).status, 'in-progress');
		assert.equal((await after.check('short')).state, 'absent', 'expired entries are not restored');
		assert.deepEqual(Object.keys(after.snapshot().entries).sort(), ['done', 'held']);
	});

	it('restore skips malformed entries and keeps a newer record already in memory', async () => {
		let now = 1_790_000_000_000;
		const clock = { now: () => now };
		const cache = createEmbeddedCache(100);
		const l = new EmbeddedIdempotencyLedger({ cache, clock, namespace: 'wf:2' });
		const old = (await l.claim('k', { owner: 'A' }), l.snapshot());
		now += 10;
		await l.complete('k', 'A', 'newer');
		assert.equal(l.restore(old), 0, 'memory is newer');
		assert.equal((await l.check('k')).result, 'newer');
		assert.equal(l.restore({ version: 1, entries: { bad: { state: 'nope' } as never } }), 0);
		assert.equal(l.restore({ version: 2 } as never), 0);
		assert.equal(l.restore(null), 0);
	});

	it('namespaces and other concerns share one bounded cache without touching each other', async () => {
		const cache = createEmbeddedCache(3);
		const l = new EmbeddedIdempotencyLedger({ cache, namespace: 'wf:3' });
		const breakers = new EmbeddedBreakerStore({ cache, namespace: 'wf:3' });
		await l.claim('same-name', { owner: 'A' });
		assert.deepEqual(await breakers.list(resolveBreakerPolicy()), []);
		for (const k of ['a', 'b', 'c']) await l.claim(k, { owner: 'A' });
		assert.equal((await l.check('same-name')).state, 'absent', 'the least recently used record went first');
		assert.equal(cache.size, 3);
	});
});
