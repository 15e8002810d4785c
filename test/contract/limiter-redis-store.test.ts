import { after } from 'node:test';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { limiterStoreContract } from './limiter-store.contract';
import { RedisLimiterStore } from '../../src/ratelimit';
import { deleteKeys } from './redis-helpers';

const client = new Redis({ host: '127.0.0.1', port: 6379 });
after(() => client.quit());

limiterStoreContract('redis (server time + offset)', async () => {
	// Offsets cancel the real time that passes, so Redis time only moves when the test advances it.
	const t0 = Date.now();
	let offset = 0;
	const prefix = `rt-limiter-${randomUUID().slice(0, 8)}`;
	const store = new RedisLimiterStore(client, { prefix, namespace: 'wf:contract', timeOffsetMs: () => offset - (Date.now() - t0) });
	return {
		store,
		// +20 ms: the frozen clock may lag a few ms, and boundaries are asserted at exactly the reset.
		advance: (ms) => (offset += ms + 20),
		teardown: () => deleteKeys(client, `${prefix}:*`).then(() => undefined),
	};
});
