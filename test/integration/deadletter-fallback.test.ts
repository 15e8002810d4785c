// An unreachable primary parks dead letters in static data (with a warning); drain moves them over once it is back.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { FallbackDeadLetterStore, RedisDeadLetterStore, StaticDataDeadLetterStore } from '../../src/deadletter';
import { createRedisClient, isStoreUnavailableError } from '../../src/store';
import { deleteKeys } from '../contract/redis-helpers';
import { draft } from '../contract/deadletter-fixtures';

const live = new Redis({ host: '127.0.0.1', port: 6379 });
const dead = createRedisClient({ host: '127.0.0.1', port: 1, timeoutMs: 1000 });
const prefix = `rt-dlqf-${randomUUID().slice(0, 8)}`;
after(async () => {
	await deleteKeys(live, `${prefix}:*`);
	dead.disconnect();
	await live.quit();
});

describe('FallbackDeadLetterStore', () => {
	it('parks writes in static data while the primary is down, warns each time, and drains them once it is back', async () => {
		const data: Record<string, unknown> = {};
		const warnings: unknown[] = [];
		const parked = new StaticDataDeadLetterStore({ data });
		const down = new FallbackDeadLetterStore(new RedisDeadLetterStore(dead, { prefix }), parked, { onFallback: (e) => warnings.push(e) });
		const a = await down.write(draft('crm', { n: 1 }));
		const b = await down.write(draft('crm', { n: 2 }));
		assert.deepEqual([down.lastKind, down.fallbackWrites, warnings.length], ['static-data', 2, 2]);
		assert.ok(warnings.every(isStoreUnavailableError));
		await assert.rejects(down.list(), isStoreUnavailableError, 'reads ask the primary only, and say it is down');
		await assert.rejects(down.drain(), isStoreUnavailableError);
		assert.equal((await parked.list()).entries.length, 2, 'a failed drain keeps what it could not move');

		const primary = new RedisDeadLetterStore(live, { prefix });
		const up = new FallbackDeadLetterStore(primary, parked);
		assert.deepEqual(await up.drain(), [a.id, b.id]);
		assert.equal((await parked.list()).entries.length, 0);
		const moved = await primary.get(a.id);
		assert.deepEqual([moved?.status, moved?.attemptCount, moved?.item], ['new', 2, a.entry.item]);
		const w = await up.write(draft('crm', { n: 3 }));
		assert.deepEqual([up.lastKind, (await primary.get(w.id))?.queue], ['redis', 'crm']);
	});
});
