// "Fall back to embedded and warn": with Redis unreachable, the fallback store still keeps the whole contract.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { breakerStoreContract } from './breaker-store.contract';
import { resolveBreakerPolicy } from '../../src/breaker';
import { createEmbeddedCache, createRedisClient, EmbeddedBreakerStore, FallbackBreakerStore, RedisBreakerStore } from '../../src/store';

const dead = createRedisClient({ host: '127.0.0.1', port: 1, timeoutMs: 500 });
after(() => dead.disconnect());

breakerStoreContract('fallback to embedded (Redis unreachable)', async () => {
	let now = 1_790_000_000_000;
	const clock = { now: () => now };
	const embedded = new EmbeddedBreakerStore({ cache: createEmbeddedCache(100), clock });
	const store = new FallbackBreakerStore(new RedisBreakerStore(dead), embedded, { clock, retryPrimaryAfterMs: 10 * 86_400_000 });
	return { store, advance: (ms) => (now += ms), teardown: async () => undefined };
});

it('says which store answered and warns each time the fallback is used', async () => {
	let now = 0;
	const warnings: unknown[] = [];
	const clock = { now: () => now };
	const store = new FallbackBreakerStore(new RedisBreakerStore(dead), new EmbeddedBreakerStore({ cache: createEmbeddedCache(10), clock }), {
		clock,
		retryPrimaryAfterMs: 5000,
		onFallback: (e) => warnings.push(e),
	});
	const p = resolveBreakerPolicy();
	const t0 = Date.now();
	await store.acquire('k', p);
	assert.equal(store.lastKind, 'embedded');
	await store.acquire('k', p);
	assert.ok(Date.now() - t0 < 3000);
	assert.equal(warnings.length, 2);
	assert.equal(store.fallbackCalls, 2);
});
