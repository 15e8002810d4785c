// "Fall back to embedded and warn": with Redis unreachable the fallback ledger still keeps the whole contract.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { idempotencyLedgerContract } from './idempotency-ledger.contract';
import { EmbeddedIdempotencyLedger, FallbackIdempotencyLedger, RedisIdempotencyLedger } from '../../src/idempotency';
import { createEmbeddedCache, createRedisClient } from '../../src/store';
import { deleteKeys } from './redis-helpers';

const dead = createRedisClient({ host: '127.0.0.1', port: 1, timeoutMs: 500 });
const live = new Redis({ host: '127.0.0.1', port: 6379 });
const prefix = `rt-idem-fb-${randomUUID().slice(0, 8)}`;
after(async () => {
	dead.disconnect();
	await deleteKeys(live, `${prefix}:*`);
	await live.quit();
});

idempotencyLedgerContract('fallback to embedded (Redis unreachable)', async () => {
	let now = 1_790_000_000_000;
	const clock = { now: () => now };
	const cache = createEmbeddedCache(1000);
	const make = (namespace: string) =>
		new FallbackIdempotencyLedger(new RedisIdempotencyLedger(dead, { namespace }), new EmbeddedIdempotencyLedger({ cache, clock, namespace }), {
			clock,
			retryPrimaryAfterMs: 10 * 86_400_000,
		});
	return { ledger: make('wf:contract'), inNamespace: make, advance: (ms) => (now += ms), teardown: async () => undefined };
});

it('says which store answered and warns each time the fallback is used', async () => {
	let now = 0;
	const warnings: unknown[] = [];
	const clock = { now: () => now };
	const l = new FallbackIdempotencyLedger(new RedisIdempotencyLedger(dead), new EmbeddedIdempotencyLedger({ cache: createEmbeddedCache(10), clock }), {
		clock,
		retryPrimaryAfterMs: 5000,
		onFallback: (e) => warnings.push(e),
	});
	const t0 = Date.now();
	assert.equal((await l.claim('k', { owner: 'A' })).status, 'new');
	assert.equal(l.lastKind, 'embedded');
	assert.equal((await l.claim('k', { owner: 'B' })).status, 'in-progress');
	assert.ok(Date.now() - t0 < 3000);
	assert.deepEqual([warnings.length, l.fallbackCalls], [2, 2]);
});

it('a claim made on the fallback is completed there after Redis is back', async () => {
	let usePrimary = false;
	const clock = { now: () => (usePrimary ? 10_000 : 0) };
	const redis = new RedisIdempotencyLedger(live, { prefix, namespace: 'back' });
	const flaky = {
		kind: 'redis' as const,
		claim: (k: string, o: { owner: string }) => (usePrimary ? redis.claim(k, o) : new RedisIdempotencyLedger(dead).claim(k, o)),
		complete: (k: string, owner: string, r: unknown) => redis.complete(k, owner, r),
		release: (k: string, owner: string) => redis.release(k, owner),
		check: (k: string) => redis.check(k),
	};
	const l = new FallbackIdempotencyLedger(flaky, new EmbeddedIdempotencyLedger({ cache: createEmbeddedCache(10) }), { clock, retryPrimaryAfterMs: 5000 });
	assert.equal((await l.claim('evt', { owner: 'A' })).status, 'new');
	usePrimary = true;
	const done = await l.complete('evt', 'A', { ok: true });
	assert.deepEqual([done.status, l.lastKind], ['completed', 'embedded']);
	assert.equal((await redis.check('evt')).state, 'absent', 'nothing was written to Redis for it');
});
