import { after } from 'node:test';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { deadLetterStoreContract } from './deadletter-store.contract';
import { RedisDeadLetterStore } from '../../src/deadletter';
import { deleteKeys } from './redis-helpers';

const client = new Redis({ host: '127.0.0.1', port: 6379 });
after(() => client.quit());

/** Every value under the test's prefix, whatever its type: what the seeded-secret test greps. */
async function dump(prefix: string): Promise<string> {
	const keys = await client.keys(`${prefix}:*`);
	const parts: unknown[] = [];
	for (const k of keys) {
		const t = await client.type(k);
		if (t === 'hash') parts.push(await client.hgetall(k));
		else if (t === 'list') parts.push(await client.lrange(k, 0, -1));
		else if (t === 'zset') parts.push(await client.zrange(k, 0, -1));
		else if (t === 'set') parts.push(await client.smembers(k));
		else parts.push(await client.get(k));
	}
	return keys.join('\n') + JSON.stringify(parts);
}

deadLetterStoreContract('redis (server time + offset)', async (o = {}) => {
	let offset = 0;
	const prefix = `rt-dlq-${randomUUID().slice(0, 8)}`;
	const store = new RedisDeadLetterStore(client, { prefix, maxPerQueue: o.maxPerQueue, timeOffsetMs: () => offset });
	return { store, advance: (ms) => (offset += ms), raw: () => dump(prefix), teardown: () => deleteKeys(client, `${prefix}:*`).then(() => undefined) };
});
