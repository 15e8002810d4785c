// "Fall back to embedded and warn": with Redis unreachable, the fallback limiter still keeps the whole contract.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { limiterStoreContract } from './limiter-store.contract';
import { EmbeddedLimiterStore, FallbackLimiterStore, RedisLimiterStore } from '../../src/ratelimit';
import { createEmbeddedCache, createRedisClient } from '../../src/store';

const dead = createRedisClient({ host: '127.0.0.1', port: 1, timeoutMs: 500 });
after(() => dead.disconnect());

limiterStoreContract('fallback to embedded (Redis unreachable)', async () => {
	let now = 1_790_000_000_000;
	const clock = { now: () => now };
	const embedded = new EmbeddedLimiterStore({ cache: createEmbeddedCache(100), clock });
	const store = new FallbackLimiterStore(new RedisLimiterStore(dead), embedded, { clock, retryPrimaryAfterMs: 10 * 86_400_000 });
	return { store, advance: (ms) => (now += ms), teardown: async () => undefined };
});

it('says which store answered and warns each time the fallback is used', async () => {
	const warnings: unknown[] = [];
	const store = new FallbackLimiterStore(new RedisLimiterStore(dead), new EmbeddedLimiterStore({ cache: createEmbeddedCache(10) }), { onFallback: (e) => warnings.push(e) });
	const d = await store.acquire('k', { ratePerSec: 1, burst: 1 });
	assert.equal(d.granted, true);
	await store.acquire('k', { ratePerSec: 1, burst: 1 });
	assert.deepEqual([store.lastKind, store.fallbackCalls, warnings.length], ['embedded', 2, 2]);
});
