// The stores the dead-letter nodes build from credentials, against real Redis and PostgreSQL (and a closed port for
// "unreachable"): fail names the store and the fix, fallback parks in static data and warns, drain moves parked entries back.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import Redis from 'ioredis';
import { Pool } from 'pg';
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';
import { closeSharedPostgresPools } from '../../src/deadletter';
import { closeSharedRedisClients, isStoreUnavailableError } from '../../src/store';
import { buildDeadLetterStore, PARKED_KEY, type StoreHost } from '../../nodes/shared/deadLetterStore';
import { resiliencePostgresConnectionTest } from '../../nodes/shared/postgresCredentialTest';
import { draft } from '../contract/deadletter-fixtures';
import { deleteKeys } from '../contract/redis-helpers';

const prefix = `rt-dlq-node-${randomUUID().slice(0, 8)}`;
const schema = `rt_dlq_node_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
const redis = new Redis({ host: '127.0.0.1', port: 6379 });
const admin = new Pool({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test', max: 1 });

after(async () => {
	await deleteKeys(redis, `${prefix}:*`);
	await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
	await Promise.all([redis.quit(), admin.end(), closeSharedRedisClients(), closeSharedPostgresPools()]);
});

async function closedPort(): Promise<number> {
	const s = createServer();
	await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
	const port = (s.address() as { port: number }).port;
	await new Promise((r) => s.close(r));
	return port;
}

/** What an n8n context gives the builder: the credential's fields and the workflow's static data (a plain object here). */
function host(creds: Record<string, ICredentialDataDecryptedObject>, staticData: IDataObject = {}, mode = 'trigger'): StoreHost & { staticData: IDataObject } {
	return {
		staticData,
		getCredentials: (async (type: string) => {
			if (!creds[type]) throw new Error(`Node does not have any credentials set for "${type}"`);
			return creds[type];
		}) as StoreHost['getCredentials'],
		getWorkflowStaticData: () => staticData,
		getMode: () => mode as 'trigger',
	};
}

const pg = (port = 5432) => ({ resiliencePostgresApi: { host: '127.0.0.1', port, database: 'test', user: 'postgres', password: '', ssl: 'disable', schema } });
const rd = (port = 6379) => ({ resilienceRedisApi: { host: '127.0.0.1', port, database: 0, keyPrefix: prefix } });

describe('dead-letter stores built for the nodes', { timeout: 60_000 }, () => {
	it('PostgreSQL and Redis from their credentials: a write lands in the table / under the key prefix', async () => {
		const p = await buildDeadLetterStore(host(pg()), { backend: 'postgres', onUnreachable: 'fail' });
		const w = await p.store.write(draft('node-pg', { n: 1 }));
		const rows = await admin.query(`SELECT id, queue FROM "${schema}".dead_letter_queue`);
		assert.deepEqual(rows.rows, [{ id: w.id, queue: 'node-pg' }]);
		assert.match(String(p.info().where), new RegExp(`PostgreSQL \\(127\\.0\\.0\\.1:5432/test, schema ${schema}\\)`));
		const r = await buildDeadLetterStore(host(rd()), { backend: 'redis', onUnreachable: 'fail' });
		const wr = await r.store.write(draft('node-redis', { n: 1 }));
		assert.equal((await redis.keys(`${prefix}:global:deadletter:*`)).length > 0, true);
		assert.equal((await r.store.get(wr.id))?.queue, 'node-redis');
	});

	it('static data: entries live in the workflow\'s static data; a manual run says it is not saved', async () => {
		const h = host({}, {}, 'manual');
		const s = await buildDeadLetterStore(h, { backend: 'staticData', onUnreachable: 'fail' });
		await s.store.write(draft('sd', { n: 1 }));
		assert.equal(Object.keys((h.staticData.deadLetters as { entries: object }).entries).length, 1);
		assert.deepEqual(s.info(), { backend: 'staticData', where: 'workflow static data', stateSaved: false });
	});

	it('unreachable with "fail": the write throws StoreUnavailableError, explained with host, port and the fallback switch', async () => {
		const port = await closedPort();
		const s = await buildDeadLetterStore(host(rd(port)), { backend: 'redis', onUnreachable: 'fail' });
		const e = await s.store.write(draft('down', { n: 1 })).catch((x: unknown) => x);
		assert.ok(isStoreUnavailableError(e));
		assert.match(s.explain(e), new RegExp(`Dead letters in Redis \\(127\\.0\\.0\\.1:${port}\\) are unreachable: .*Park in Workflow Static Data and Warn`));
	});

	it('unreachable with "fallback": writes park in static data and warn; once the store answers they move there, same id, none lost', async () => {
		const port = await closedPort();
		const staticData: IDataObject = {};
		const down = await buildDeadLetterStore(host(pg(port), staticData), { backend: 'postgres', onUnreachable: 'fallback' });
		const parked = [await down.store.write(draft('parked', { n: 1 })), await down.store.write(draft('parked', { n: 2 }))];
		const info = down.info();
		assert.deepEqual([info.fellBack, info.parked, info.stateSaved], [true, 2, true]);
		assert.match(String(info.warning), /unreachable .*2 dead letter\(s\) are parked in this workflow's static data/);
		assert.match(String(await down.drain()), /2 dead letter\(s\) parked .* wait for PostgreSQL/, 'still down: they stay parked, said so');

		const up = await buildDeadLetterStore(host(pg(), staticData), { backend: 'postgres', onUnreachable: 'fallback' });
		assert.equal(await up.drain(), undefined);
		assert.deepEqual(Object.keys((staticData[PARKED_KEY] as { entries: object }).entries), []);
		const rows = await admin.query(`SELECT id FROM "${schema}".dead_letter_queue WHERE queue = 'parked' ORDER BY id`);
		assert.deepEqual(rows.rows.map((r) => r.id), parked.map((p) => p.id).sort());
		assert.equal(up.info().fellBack, false);
	});

	it('a missing credential is a configuration error naming "credentials"', async () => {
		const e = (await buildDeadLetterStore(host({}), { backend: 'postgres', onUnreachable: 'fail' }).catch((x: unknown) => x)) as { parameter?: string; message: string };
		assert.equal(e.parameter, 'credentials');
		assert.match(e.message, /Resilience PostgreSQL credential: Node does not have any credentials/);
	});

	it('the PostgreSQL credential\'s Test button: OK with where dead letters go, or why not', async () => {
		const call = (data: object) => resiliencePostgresConnectionTest.call({} as never, { id: '1', name: 'pg', type: 'resiliencePostgresApi', data } as never);
		assert.deepEqual(await call(pg().resiliencePostgresApi), { status: 'OK', message: `Connected to PostgreSQL at 127.0.0.1:5432/test; dead letters go to "${schema}".dead_letter_queue` });
		const port = await closedPort();
		const bad = await call(pg(port).resiliencePostgresApi);
		assert.equal(bad.status, 'Error');
		assert.match(bad.message, new RegExp(`Could not connect to PostgreSQL at 127\\.0\\.0\\.1:${port}/test: .*ECONNREFUSED`));
		assert.deepEqual(await call({ ...pg().resiliencePostgresApi, schema: 'bad name' }), { status: 'Error', message: 'Invalid PostgreSQL schema "bad name": letters, digits and _ only, at most 63 characters' });
	});
});
