import { after } from 'node:test';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { deadLetterStoreContract } from './deadletter-store.contract';
import { PostgresDeadLetterStore } from '../../src/deadletter';

const pool = new Pool({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test', max: 8 });
after(() => pool.end());

deadLetterStoreContract('postgres (server time + offset)', async (o = {}) => {
	let offset = 0;
	// One schema per fixture, dropped afterwards: never touch anything else in the shared database.
	const schema = `rt_dlq_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
	const store = new PostgresDeadLetterStore({ pool, schema, maxPerQueue: o.maxPerQueue, timeOffsetMs: () => offset });
	return {
		store,
		advance: (ms) => (offset += ms),
		raw: async () => {
			const r = await pool.query(`SELECT t::text AS row FROM "${schema}".dead_letter_queue t`);
			return r.rows.map((x) => x.row).join('\n');
		},
		teardown: async () => {
			await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
		},
	};
});
