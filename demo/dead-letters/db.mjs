// The dead-letter table the demo writes to and reads back: a throwaway database (dropped after the run), or the one
// DEMO_PG_DATABASE names (left in place, e.g. for the e2e test to query). Env: DEMO_PG_HOST/PORT/USER/PASSWORD.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const SCHEMA = 'dead_letters';

export async function openDeadLetterDb(env = process.env) {
	const server = { host: env.DEMO_PG_HOST || '127.0.0.1', port: Number(env.DEMO_PG_PORT || 5432), user: env.DEMO_PG_USER || 'postgres', password: env.DEMO_PG_PASSWORD || '' };
	const given = env.DEMO_PG_DATABASE;
	const database = given || `demo_dead_letters_${randomBytes(5).toString('hex')}`;
	if (!given) await admin(server, `CREATE DATABASE ${database}`);
	const pool = new pg.Pool({ ...server, database, max: 2 });
	const table = `${SCHEMA}.dead_letter_queue`;
	const exists = async () => (await pool.query(`SELECT to_regclass($1) AS t`, [table])).rows[0].t !== null;
	return {
		server,
		database,
		schema: SCHEMA,
		/** What the Resilience PostgreSQL credential holds. */
		credential: { ...server, database, ssl: 'disable', schema: SCHEMA },
		/** Every row, oldest first, times as epoch ms; none before the first dead letter created the table. */
		async rows() {
			if (!(await exists())) return [];
			const ms = (c) => `round(extract(epoch from ${c}) * 1000)::bigint AS ${c}`;
			const r = await pool.query(
				`SELECT id, queue, status, class, reason, http_status, ${ms('created_at')}, ${ms('updated_at')}, ${ms('retry_at')}, replay_count,
				        attempt_count, workflow_id, workflow_name, execution_id, node, item_index, idempotency_key, note, origin, latest, attempts
				 FROM ${table} ORDER BY created_at, id`,
			);
			return r.rows.map((x) => ({ ...x, created_at: Number(x.created_at), updated_at: Number(x.updated_at), retry_at: x.retry_at === null ? null : Number(x.retry_at) }));
		},
		/** The whole table as text, to search for secrets. */
		async rawText() {
			if (!(await exists())) return '';
			return (await pool.query(`SELECT t::text AS row FROM ${table} t`)).rows.map((r) => r.row).join('\n');
		},
		/** How long until the last deferred open entry is due, by the database's clock (0 when none waits). */
		async msUntilDue() {
			if (!(await exists())) return 0;
			const r = await pool.query(`SELECT extract(epoch from max(retry_at) - now()) * 1000 AS ms FROM ${table} WHERE status = 'new'`);
			return Math.max(0, Math.ceil(Number(r.rows[0].ms ?? 0)));
		},
		async close() {
			await pool.end();
			if (!given) await admin(server, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
		},
	};
}

async function admin(server, sql) {
	const c = new pg.Client({ ...server, database: 'postgres' });
	await c.connect();
	try {
		await c.query(sql);
	} finally {
		await c.end();
	}
}
