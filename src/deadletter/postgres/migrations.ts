// The dead_letter_queue table, created on first use by versioned migrations; concurrent first use waits on an advisory lock.
import type { Pool } from 'pg';

export interface Migration {
	version: number;
	name: string;
	/** SQL for schema `s` (already validated and quoted). */
	up: (s: string) => string;
}

export const MIGRATIONS: Migration[] = [
	{
		version: 1,
		name: 'create dead_letter_queue',
		up: (s) => `
CREATE TABLE ${s}.dead_letter_queue (
  id text PRIMARY KEY,
  queue text NOT NULL,
  status text NOT NULL CHECK (status IN ('new', 'requeued', 'resolved', 'discarded')),
  class text NOT NULL,
  reason text,
  http_status integer,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  retry_at timestamptz,
  first_attempt_at timestamptz,
  last_attempt_at timestamptz,
  replay_count integer NOT NULL DEFAULT 0,
  attempt_count integer NOT NULL DEFAULT 0,
  workflow_id text,
  workflow_name text,
  execution_id text,
  node text,
  item_index integer,
  idempotency_key text,
  note text,
  origin jsonb NOT NULL,
  latest jsonb NOT NULL,
  attempts jsonb NOT NULL DEFAULT '[]'::jsonb
);
CREATE INDEX dead_letter_queue_queue_status_created ON ${s}.dead_letter_queue (queue, status, created_at, id);
CREATE INDEX dead_letter_queue_status_created ON ${s}.dead_letter_queue (status, created_at, id);
CREATE INDEX dead_letter_queue_created ON ${s}.dead_letter_queue (created_at, id);
CREATE INDEX dead_letter_queue_due ON ${s}.dead_letter_queue (queue, retry_at) WHERE status = 'new';`,
	},
	{
		version: 2,
		name: 'per-queue entry counts for the cap',
		// A counter row per queue: the cap is checked in O(1) instead of counting the queue on every write.
		up: (s) => `
CREATE TABLE ${s}.dead_letter_queue_sizes (queue text PRIMARY KEY, entries integer NOT NULL);
INSERT INTO ${s}.dead_letter_queue_sizes (queue, entries) SELECT queue, count(*) FROM ${s}.dead_letter_queue GROUP BY queue;`,
	},
	{
		version: 3,
		name: 'due entries by class',
		// A replay asks for some classes only (transient, quota-wait…): it reaches them without walking past the others.
		up: (s) => `CREATE INDEX dead_letter_queue_due_class ON ${s}.dead_letter_queue (queue, class, created_at, id) WHERE status = 'new';`,
	},
];

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Runs the migrations `schema` lacks, in one transaction under a lock, so two workers starting at once apply them once. */
export async function migrate(pool: Pool, schema: string): Promise<number[]> {
	const s = quoteIdent(schema);
	const client = await pool.connect();
	try {
		await client.query('BEGIN');
		// The lock comes before CREATE SCHEMA: even IF NOT EXISTS races on the catalog's unique index.
		await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`n8n-nodes-resilience:dead_letter_queue:${schema}`]);
		await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
		await client.query(`CREATE TABLE IF NOT EXISTS ${s}.dead_letter_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
		const done = new Set((await client.query<{ version: number }>(`SELECT version FROM ${s}.dead_letter_migrations`)).rows.map((r) => r.version));
		const applied: number[] = [];
		for (const m of MIGRATIONS) {
			if (done.has(m.version)) continue;
			await client.query(m.up(s));
			await client.query(`INSERT INTO ${s}.dead_letter_migrations (version, name) VALUES ($1, $2)`, [m.version, m.name]);
			applied.push(m.version);
		}
		await client.query('COMMIT');
		return applied;
	} catch (e) {
		await client.query('ROLLBACK').catch(() => undefined);
		throw e;
	} finally {
		client.release();
	}
}
