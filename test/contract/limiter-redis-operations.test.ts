// Redis-only duties of the limiter store: key layout, expiry, lost scripts, unreachable server.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { RedisLimiterStore, resolveRetryBudget } from '../../src/ratelimit';
import { createRedisClient, isStoreUnavailableError } from '../../src/store';
import { deleteKeys } from './redis-helpers';

const client = new Redis({ host: '127.0.0.1', port: 6379 });
const prefix = `rt-limops-${randomUUID().slice(0, 8)}`;
after(async () => {
	await deleteKeys(client, `${prefix}*`);
	await client.quit();
});
const q = { ratePerSec: 10, burst: 5 };

describe('RedisLimiterStore on a real Redis', () => {
	it('one key per bucket and per retry budget under prefix:namespace, each with one hash tag, expiring when idle', async () => {
		const s = new RedisLimiterStore(client, { prefix, namespace: 'wf:7', idleTtlMs: 60_000 });
		await s.acquire('hubspot:{cred}:search', q);
		await s.retryBudget('GET api.hubapi.com/crm', 'request', resolveRetryBudget());
		const keys = (await client.keys(`${prefix}:wf:7:*`)).sort();
		assert.deepEqual(keys, [`${prefix}:wf:7:limiter:{hubspot:(cred):search}`, `${prefix}:wf:7:retrybudget:{GET api.hubapi.com/crm}`]);
		const ttl = await client.pttl(keys[0]);
		assert.ok(ttl > 60_000 && ttl <= 60_200, `idle ttl + time to refill one token, got ${ttl}`);
		const rb = await client.pttl(keys[1]);
		assert.ok(rb > 60_000 && rb <= 66_000, `window + one bucket, got ${rb}`);
	});

	it('a pause or daily quota keeps the key alive until it ends', async () => {
		const s = new RedisLimiterStore(client, { prefix, namespace: 'ttl', idleTtlMs: 1000 });
		await s.adapt('paused', q, { windows: [], pauseMs: 3_600_000, sources: [] });
		const ttl = await client.pttl(s.keys('paused').bucket);
		assert.ok(ttl > 3_600_000, `lives past the pause, got ${ttl}`);
	});

	it('re-registers its scripts after SCRIPT FLUSH', async () => {
		const s = new RedisLimiterStore(client, { prefix, namespace: 'flush' });
		assert.equal((await s.acquire('k', { ratePerSec: 0.001, burst: 1 })).granted, true);
		await client.script('FLUSH');
		assert.equal((await s.acquire('k', { ratePerSec: 0.001, burst: 1 })).granted, false, 'state kept, script reloaded');
		assert.equal((await s.retryBudget('k', 'retry', resolveRetryBudget())).allowed, true);
		assert.equal((await s.getState('k', q)).key, 'k');
	});

	it('passes Redis errors about the command through (not "unavailable")', async () => {
		const s = new RedisLimiterStore(client, { prefix, namespace: 'bad' });
		await client.set(s.keys('wrongtype').bucket, 'not json');
		await assert.rejects(s.acquire('wrongtype', q), (e) => !isStoreUnavailableError(e));
	});

	it('fails fast with a StoreUnavailableError when Redis cannot be reached', async () => {
		const dead = createRedisClient({ host: '127.0.0.1', port: 1, timeoutMs: 1000 });
		const s = new RedisLimiterStore(dead, { prefix });
		const t0 = Date.now();
		await assert.rejects(s.acquire('k', q), (e) => isStoreUnavailableError(e) && /Redis is unreachable/.test((e as Error).message));
		await assert.rejects(s.adapt('k', q, { windows: [], sources: [] }), (e) => isStoreUnavailableError(e));
		await assert.rejects(s.retryBudget('k', 'retry', resolveRetryBudget()), (e) => isStoreUnavailableError(e));
		assert.ok(Date.now() - t0 < 4000, 'no long hang');
		dead.disconnect();
		await assert.rejects(s.reset('k'), (e) => isStoreUnavailableError(e));
	});
});
