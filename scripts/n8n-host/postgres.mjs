// A throwaway PostgreSQL database per host, for running n8n with DB_TYPE=postgresdb (the newest n8n line on Node 24).
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Creates database n8n_host_<random> and returns { env for n8n, drop() }. Defaults: 127.0.0.1:5432, user postgres, trust auth. */
export async function createDatabase({ host = '127.0.0.1', port = 5432, user = 'postgres', password = '' } = {}) {
	const { Client } = require('pg');
	const database = `n8n_host_${randomBytes(6).toString('hex')}`;
	const admin = new Client({ host, port, user, password, database: 'postgres' });
	await admin.connect();
	try {
		await admin.query(`CREATE DATABASE ${database}`);
	} finally {
		await admin.end();
	}
	return {
		database,
		env: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: host,
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_USER: user,
			DB_POSTGRESDB_PASSWORD: password,
			DB_POSTGRESDB_DATABASE: database,
		},
		async drop() {
			const c = new Client({ host, port, user, password, database: 'postgres' });
			await c.connect();
			try {
				await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
			} finally {
				await c.end();
			}
		},
	};
}
