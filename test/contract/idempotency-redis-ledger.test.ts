import { after } from 'node:test';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { idempotencyLedgerContract } from './idempotency-ledger.contract';
import { RedisIdempotencyLedger } from '../../src/idempotency';
import { deleteKeys } from './redis-helpers';

const client = new Redis({ host: '127.0.0.1', port: 6379 });
after(() => client.quit());

idempotencyLedgerContract('redis (server time + offset)', async () => {
	let offset = 0;
	const prefix = `rt-idem-${randomUUID().slice(0, 8)}`;
	const make = (namespace: string) => new RedisIdempotencyLedger(client, { prefix, namespace, timeOffsetMs: () => offset });
	return { ledger: make('wf:contract'), inNamespace: make, advance: (ms) => (offset += ms), teardown: () => deleteKeys(client, `${prefix}:*`).then(() => undefined) };
});
