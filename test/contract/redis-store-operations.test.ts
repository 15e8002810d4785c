// Redis-only duties of the state layer: key layout, expiry, lost scripts, unreachable server, reconnect.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import Redis from 'ioredis';
import { resolveBreakerPolicy } from '../../src/breaker';
import { RedisBreakerStore, createRedisClient, isStoreUnavailableError, testRedisConnection } from '../../src/store';
import { deleteKeys } from './redis-helpers';

const client = new Redis({ host: '127.0.0.1', port: 6379 });
const prefix = `rt-ops-${randomUUID().slice(0, 8)}`;
after(async () => {
	await deleteKeys(client, `${prefix}*`);
	await client.quit();
});
const p = resolveBreakerPolicy({ consecutiveFailures: 2, resetTimeoutMs: 30_000 });

describe('RedisBreakerStore on a real Redis', () => {
	it('keeps keys under prefix:namespace with one hash tag per breaker, expiring when idle', async () => {
		const s = new RedisBreakerStore(client, { prefix, namespace: 'wf:42', idleTtlMs: 60_000 });
		await s.record('GET api.x.com/{odd}', { kind: 'failure' }, p);
		await s.record('GET api.x.com/{odd}', { kind: 'failure' }, p);
		const keys = (await client.keys(`${prefix}:wf:42:*`)).sort();
		assert.deepEqual(keys, [`${prefix}:wf:42:breaker:{GET api.x.com/(odd)}`, `${prefix}:wf:42:breaker:{GET api.x.com/(odd)}:events`]);
		const ttl = await client.pttl(keys[0]);
		assert.ok(ttl > 60_000 && ttl <= 90_000, `open breaker lives ttl + open time, got ${ttl}`);
		await s.forceOpen('forced', p);
		assert.equal(await client.pttl(s.keys('forced')[0]), -1, 'forced open never expires');
		const other = new RedisBreakerStore(client, { prefix, namespace: 'global' });
		assert.equal((await other.getState('GET api.x.com/{odd}', p)).state, 'closed', 'namespaces are separate');
	});

	it('a closed acquire writes nothing, so idle endpoints cost no memory', async () => {
		const s = new RedisBreakerStore(client, { prefix, namespace: 'idle' });
		for (let i = 0; i < 50; i++) assert.equal((await s.acquire(`GET h/${i}`, p)).allowed, true);
		assert.deepEqual(await client.keys(`${prefix}:idle:*`), []);
	});

	it('re-registers its scripts after SCRIPT FLUSH', async () => {
		const s = new RedisBreakerStore(client, { prefix, namespace: 'flush' });
		await s.record('k', { kind: 'failure' }, p);
		await client.script('FLUSH');
		const r = await s.record('k', { kind: 'failure' }, p);
		assert.equal(r.view.state, 'open');
		assert.equal((await s.acquire('k', p)).allowed, false);
	});

	it('passes Redis errors about the command through (not "unavailable")', async () => {
		const s = new RedisBreakerStore(client, { prefix, namespace: 'bad' });
		await client.set(s.keys('wrongtype')[0], 'not json');
		await assert.rejects(s.acquire('wrongtype', p), (e) => !isStoreUnavailableError(e));
	});

	it('fails fast with a StoreUnavailableError when Redis cannot be reached', async () => {
		const dead = createRedisClient({ host: '127.0.0.1', port: 1, timeoutMs: 1000 });
		const s = new RedisBreakerStore(dead, { prefix });
		const t0 = Date.now();
		await assert.rejects(s.acquire('k', p), (e) => isStoreUnavailableError(e) && /Redis is unreachable/.test((e as Error).message));
		assert.ok(Date.now() - t0 < 3000, 'no long hang');
		dead.disconnect();
		await assert.rejects(s.acquire('k', p), (e) => isStoreUnavailableError(e));
		assert.deepEqual(await testRedisConnection({ host: '127.0.0.1', port: 1 }).then((r) => r.ok), false);
		assert.deepEqual(await testRedisConnection({ host: '127.0.0.1', port: 6379 }), { ok: true });
	});

	it('reconnects by itself when Redis comes back', async () => {
		// A TCP relay we can cut stands in for Redis going away (the real server is shared).
		const sockets = new Set<net.Socket>();
		const relay = net.createServer((c) => {
			const up = net.connect(6379, '127.0.0.1');
			sockets.add(c).add(up);
			c.pipe(up).pipe(c);
			const close = () => (c.destroy(), up.destroy());
			c.on('error', close).on('close', close);
			up.on('error', close).on('close', close);
		});
		await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
		const port = (relay.address() as net.AddressInfo).port;
		const c = createRedisClient({ host: '127.0.0.1', port, timeoutMs: 1000 });
		const s = new RedisBreakerStore(c, { prefix, namespace: 'relay' });
		try {
			assert.equal((await s.record('k', { kind: 'failure' }, p)).counted, true);
			await new Promise<void>((r) => relay.close(() => r()) && sockets.forEach((x) => x.destroy()));
			await assert.rejects(s.record('k', { kind: 'failure' }, p), (e) => isStoreUnavailableError(e));
			await new Promise<void>((r) => relay.listen(port, '127.0.0.1', r));
			let view;
			for (let i = 0; i < 40 && !view; i++) {
				view = await s.record('k', { kind: 'failure' }, p).then((x) => x.view, () => new Promise((r) => setTimeout(r, 100)).then(() => undefined));
			}
			assert.equal(view?.state, 'open', 'the second failure, recorded after the reconnect, trips it');
		} finally {
			c.disconnect();
			sockets.forEach((x) => x.destroy());
			relay.close();
		}
	});
});
