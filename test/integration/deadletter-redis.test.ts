// Redis dead letters against a real server: concurrent replays on separate connections, durability, outages.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { RedisDeadLetterStore } from '../../src/deadletter';
import { createRedisClient, isStoreUnavailableError } from '../../src/store';
import { deleteKeys } from '../contract/redis-helpers';
import { draft } from '../contract/deadletter-fixtures';

const clients: Redis[] = [];
const prefixes: string[] = [];
const client = () => {
	const c = new Redis({ host: '127.0.0.1', port: 6379 });
	clients.push(c);
	return c;
};
const prefix = () => {
	const p = `rt-dlqi-${randomUUID().slice(0, 8)}`;
	prefixes.push(p);
	return p;
};
const admin = client();
after(async () => {
	for (const p of prefixes) await deleteKeys(admin, `${p}:*`);
	await Promise.all(clients.map((c) => c.quit()));
});

describe('Redis dead-letter store (real server)', () => {
	it('four replay workers on separate connections take 200 entries between them, each exactly once', async () => {
		const p = prefix();
		const writer = new RedisDeadLetterStore(client(), { prefix: p });
		for (let n = 0; n < 200; n++) await writer.write(draft('flood', { n }));
		const workers = Array.from({ length: 4 }, () => new RedisDeadLetterStore(client(), { prefix: p }));
		const taken: string[][] = workers.map(() => []);
		await Promise.all(
			workers.map(async (w, i) => {
				for (;;) {
					const batch = await w.claimDue({ limit: 15 });
					if (!batch.length) return;
					taken[i].push(...batch.map((e) => e.id));
				}
			}),
		);
		const all = taken.flat();
		assert.equal(all.length, 200);
		assert.equal(new Set(all).size, 200, 'no entry taken twice');
		const st = await writer.stats('flood');
		assert.deepEqual([st.queues[0].depth, st.queues[0].byStatus.requeued.count, st.queues[0].byStatus.new.count], [200, 200, 0]);
	});

	it('a class filter walks past more than a page of other classes in one script and still fills the limit', async () => {
		const p = prefix();
		const s = new RedisDeadLetterStore(client(), { prefix: p });
		for (let n = 0; n < 450; n++) await s.write(draft('crm', { n, cls: n % 3 ? 'permanent' : 'ambiguous' }));
		const wanted = [];
		for (let n = 0; n < 3; n++) wanted.push((await s.write(draft('crm', { n: 500 + n, cls: 'transient' }))).id);
		await s.write(draft('crm', { n: 600, cls: 'permanent' }));
		assert.deepEqual((await s.claimDue({ queue: 'crm', limit: 3, classes: ['transient', 'quota-wait'] })).map((e) => e.id), wanted);
		assert.equal((await s.claimDue({ limit: 1000, classes: ['ambiguous'] })).length, 150, 'every queue, every page');
		const st = (await s.stats('crm')).queues[0];
		assert.deepEqual([st.byStatus.new.count, st.byStatus.requeued.count], [301, 153]);
	});

	it('entries are durable structures: no key of the space expires, all share one hash tag', async () => {
		const p = prefix();
		const s = new RedisDeadLetterStore(admin, { prefix: p });
		const w = await s.write(draft('crm', { retryAt: new Date(Date.now() + 3_600_000).toISOString() }));
		const keys = await admin.keys(`${p}:*`);
		assert.ok(keys.includes(`${s.baseKey()}:e:${w.id}`) && keys.includes(`${s.baseKey()}:wait:crm`), keys.join(', '));
		for (const k of keys) {
			assert.equal(await admin.pttl(k), -1, `${k} must not expire`);
			assert.ok(k.includes('{dlq}'), `${k} shares the hash tag`);
		}
	});

	it('an unreachable server is a StoreUnavailableError, not a silent success', async () => {
		const dead = createRedisClient({ host: '127.0.0.1', port: 1, timeoutMs: 1000 });
		clients.push(dead);
		const s = new RedisDeadLetterStore(dead, { prefix: prefix() });
		await assert.rejects(s.write(draft('q')), (e: unknown) => isStoreUnavailableError(e) && /Redis is unreachable/.test((e as Error).message));
		dead.disconnect();
	});
});
