// Redis-only duties of the ledger: key layout, expiry, lost scripts, unreachable server, foreign keys.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { RedisIdempotencyLedger } from '../../src/idempotency';
import { createRedisClient, isStoreUnavailableError, namespaceFor } from '../../src/store';
import { deleteKeys } from './redis-helpers';

const client = new Redis({ host: '127.0.0.1', port: 6379 });
const prefix = `rt-idem-ops-${randomUUID().slice(0, 8)}`;
after(async () => {
	await deleteKeys(client, `${prefix}*`);
	await client.quit();
});

describe('RedisIdempotencyLedger on a real Redis', () => {
	it('keeps one hash per key under prefix:namespace with one hash tag, expiring with its TTL', async () => {
		const l = new RedisIdempotencyLedger(client, { prefix, namespace: namespaceFor('workflow', '42') });
		await l.claim('evt {1}', { owner: 'A', leaseMs: 5000, ttlMs: 60_000 });
		const keys = await client.keys(`${prefix}:wf:42:*`);
		assert.deepEqual(keys, [`${prefix}:wf:42:idempotency:{evt (1)}`]);
		assert.equal(l.redisKey('evt {1}'), keys[0]);
		const ttl = await client.pttl(keys[0]);
		assert.ok(ttl > 55_000 && ttl <= 60_000, `in-progress record ttl ${ttl}`);
		await l.complete('evt {1}', 'A', { id: 1 }, 3_600_000);
		const done = await client.pttl(keys[0]);
		assert.ok(done > 3_590_000 && done <= 3_600_000, `completed record ttl ${done}`);
		const h = await client.hgetall(keys[0]);
		assert.deepEqual([h.state, h.owner, h.result, h.attempt], ['completed', 'A', '{"id":1}', '1'], 'the result is stored as its JSON text');
		const global = new RedisIdempotencyLedger(client, { prefix, namespace: namespaceFor('global') });
		assert.equal((await global.check('evt {1}')).state, 'absent', 'the global scope is separate');
	});

	it('re-registers its scripts after SCRIPT FLUSH', async () => {
		const l = new RedisIdempotencyLedger(client, { prefix, namespace: 'flush' });
		await l.claim('k', { owner: 'A' });
		await client.script('FLUSH');
		assert.equal((await l.claim('k', { owner: 'B' })).status, 'in-progress');
		await client.script('FLUSH');
		assert.equal((await l.complete('k', 'A', 1)).status, 'completed');
		await client.script('FLUSH');
		assert.equal((await l.check('k')).state, 'completed');
	});

	it('passes errors about the command through (a foreign key of another type is not "unavailable")', async () => {
		const l = new RedisIdempotencyLedger(client, { prefix, namespace: 'bad' });
		await client.set(l.redisKey('taken'), 'a string');
		await assert.rejects(l.claim('taken', { owner: 'A' }), (e) => !isStoreUnavailableError(e) && /WRONGTYPE/.test((e as Error).message));
	});

	it('fails fast with a StoreUnavailableError when Redis cannot be reached', async () => {
		const dead = createRedisClient({ host: '127.0.0.1', port: 1, timeoutMs: 1000 });
		const l = new RedisIdempotencyLedger(dead, { prefix });
		const t0 = Date.now();
		await assert.rejects(l.claim('k', { owner: 'A' }), (e) => isStoreUnavailableError(e) && /Redis is unreachable/.test((e as Error).message));
		assert.ok(Date.now() - t0 < 3000, 'no long hang');
		dead.disconnect();
		for (const call of [l.claim('k', { owner: 'A' }), l.complete('k', 'A', 1), l.release('k', 'A'), l.check('k')]) {
			await assert.rejects(call, (e) => isStoreUnavailableError(e));
		}
	});
});
