import { after } from 'node:test';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { breakerStoreContract } from './breaker-store.contract';
import { RedisBreakerStore } from '../../src/store';
import { deleteKeys } from './redis-helpers';

const client = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: false });
after(() => client.quit());

breakerStoreContract('redis (server time + offset)', async () => {
	let offset = 0;
	const prefix = `rt-contract-${randomUUID().slice(0, 8)}`;
	const store = new RedisBreakerStore(client, { prefix, namespace: 'wf:contract', timeOffsetMs: () => offset });
	return { store, advance: (ms) => (offset += ms), teardown: async () => void (await deleteKeys(client, `${prefix}:*`)) };
});
