// Turns the Resilience PostgreSQL credential's data into connection options, and the credential test the node calls.
import { testPostgresConnection, validateSchema, type PostgresConnectionOptions } from './connection';

/** Reads the credential fields (host, port, database, user, password, ssl, schema); throws on a missing or bad one. */
export function postgresConnectionFrom(data: Record<string, unknown>): PostgresConnectionOptions {
	const str = (k: string) => (data[k] === undefined || data[k] === null ? '' : String(data[k]).trim());
	const host = str('host');
	if (!host) throw new Error('The PostgreSQL credential needs a host');
	const port = data.port === undefined || data.port === '' ? 5432 : Number(data.port);
	if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`Invalid PostgreSQL port "${String(data.port)}"`);
	const ssl = str('ssl') || 'disable';
	if (!['disable', 'require', 'verify'].includes(ssl)) throw new Error(`Invalid SSL mode "${ssl}": use disable, require or verify`);
	return {
		host,
		port,
		database: str('database') || 'postgres',
		user: str('user') || 'postgres',
		password: data.password === undefined || data.password === null ? undefined : String(data.password),
		ssl: ssl as PostgresConnectionOptions['ssl'],
		schema: validateSchema(str('schema') || undefined),
	};
}

/** The credential's Test button, as a plain function: `{ status: 'OK' | 'Error', message }` like n8n expects. */
export async function testResiliencePostgresCredential(data: Record<string, unknown>): Promise<{ status: 'OK' | 'Error'; message: string }> {
	let conn: PostgresConnectionOptions;
	try {
		conn = postgresConnectionFrom(data);
	} catch (e) {
		return { status: 'Error', message: (e as Error).message };
	}
	const r = await testPostgresConnection({ ...conn, timeoutMs: 5000 });
	return { status: r.ok ? 'OK' : 'Error', message: r.message };
}
