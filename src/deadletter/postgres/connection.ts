// PostgreSQL connections for dead letters: one pool per credential in this process, and the credential test.
import { createHash } from 'node:crypto';
import { Pool, type PoolConfig } from 'pg';

/** What the Resilience PostgreSQL credential holds. */
export interface PostgresConnectionOptions {
	host: string;
	port?: number;
	database: string;
	user: string;
	password?: string;
	/** disable: plain TCP; require: TLS without certificate check; verify: TLS with certificate check. */
	ssl?: 'disable' | 'require' | 'verify' | boolean;
	/** Schema holding dead_letter_queue and its migration table; created on first use. */
	schema?: string;
	/** Milliseconds to wait for a connection or a statement before the store counts as unreachable. */
	timeoutMs?: number;
	/** Connections per pool (default 5). */
	maxConnections?: number;
}

export const DEFAULT_SCHEMA = 'public';

export function validateSchema(schema: string | undefined): string {
	const s = schema || DEFAULT_SCHEMA;
	if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(s)) throw new Error(`Invalid PostgreSQL schema "${s}": letters, digits and _ only, at most 63 characters`);
	return s;
}

function sslOption(ssl: PostgresConnectionOptions['ssl']): PoolConfig['ssl'] {
	if (ssl === true || ssl === 'require') return { rejectUnauthorized: false };
	if (ssl === 'verify') return { rejectUnauthorized: true };
	return false;
}

export function postgresPoolConfig(o: PostgresConnectionOptions): PoolConfig {
	const timeout = o.timeoutMs ?? 10_000;
	return {
		host: o.host,
		port: o.port ?? 5432,
		database: o.database,
		user: o.user,
		password: o.password || undefined,
		ssl: sslOption(o.ssl),
		max: o.maxConnections ?? 5,
		connectionTimeoutMillis: timeout,
		statement_timeout: timeout,
		idleTimeoutMillis: 30_000,
		application_name: 'n8n-nodes-resilience',
	};
}

export function createPostgresPool(o: PostgresConnectionOptions): Pool {
	const pool = new Pool(postgresPoolConfig(o));
	// An idle client losing its connection must not crash n8n; the next query reports it instead.
	pool.on('error', () => undefined);
	return pool;
}

const shared = new Map<string, Pool>();

function poolKey(o: PostgresConnectionOptions): string {
	const raw = JSON.stringify([o.host, o.port ?? 5432, o.database, o.user, o.password ?? '', o.ssl ?? false, o.timeoutMs ?? 10_000]);
	return createHash('sha256').update(raw).digest('hex');
}

/** One pool per distinct credential in this process, shared by every execution and node. */
export function sharedPostgresPool(o: PostgresConnectionOptions): Pool {
	const k = poolKey(o);
	let p = shared.get(k);
	if (!p || (p as Pool & { ending?: boolean }).ending) {
		p = createPostgresPool(o);
		shared.set(k, p);
	}
	return p;
}

export async function closeSharedPostgresPools(): Promise<void> {
	const all = [...shared.values()];
	shared.clear();
	await Promise.all(all.map((p) => p.end().catch(() => undefined)));
}

/**
 * The credential's Test button: connect, check the server answers, and that the schema exists and is writable or
 * can be created (the first write creates the table there), with a message a user can act on.
 */
export async function testPostgresConnection(o: PostgresConnectionOptions): Promise<{ ok: true; message: string } | { ok: false; message: string }> {
	let schema: string;
	try {
		schema = validateSchema(o.schema);
	} catch (e) {
		return { ok: false, message: (e as Error).message };
	}
	const pool = new Pool({ ...postgresPoolConfig({ ...o, timeoutMs: o.timeoutMs ?? 5000 }), max: 1 });
	pool.on('error', () => undefined);
	const where = `${o.host}:${o.port ?? 5432}/${o.database}`;
	try {
		const r = await pool.query<{ exists: boolean; usable: boolean; can_create: boolean }>(
			`SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1) AS exists,
			        COALESCE((SELECT has_schema_privilege(oid, 'CREATE') FROM pg_namespace WHERE nspname = $1), false) AS usable,
			        has_database_privilege(current_database(), 'CREATE') AS can_create`,
			[schema],
		);
		const { exists, usable, can_create } = r.rows[0];
		if (exists && !usable) return { ok: false, message: `Connected to ${where}, but user "${o.user}" cannot create tables in schema "${schema}"` };
		if (!exists && !can_create) return { ok: false, message: `Connected to ${where}, but schema "${schema}" does not exist and user "${o.user}" cannot create it` };
		return { ok: true, message: `Connected to PostgreSQL at ${where}; dead letters go to "${schema}".dead_letter_queue` };
	} catch (e) {
		return { ok: false, message: `Could not connect to PostgreSQL at ${where}: ${(e as Error).message}` };
	} finally {
		await pool.end().catch(() => undefined);
	}
}
