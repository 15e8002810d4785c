// PostgreSQL dead letters against a real server: concurrent first use, concurrent replays, the credential test, outages.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { MIGRATIONS, PostgresDeadLetterStore, migrate, testResiliencePostgresCredential } from '../../src/deadletter';
import { isStoreUnavailableError } from '../../src/store';
import { draft } from '../contract/deadletter-fixtures';

const PG = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' };
const pools: Pool[] = [];
const schemas: string[] = [];
const admin = new Pool({ ...PG, max: 2 });
const newPool = () => {
	const p = new Pool({ ...PG, max: 3 });
	pools.push(p);
	return p;
};
const newSchema = () => {
	const s = `rt_dlqi_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
	schemas.push(s);
	return s;
};
after(async () => {
	for (const s of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
	await Promise.all([...pools, admin].map((p) => p.end()));
});

describe('PostgreSQL dead-letter store (real server)', () => {
	it('six workers using a fresh schema at once create it once: one migration row, the table and its indexes', async () => {
		const schema = newSchema();
		const stores = Array.from({ length: 6 }, () => new PostgresDeadLetterStore({ pool: newPool(), schema }));
		const written = await Promise.all(stores.map((s, n) => s.write(draft('leads', { n }))));
		assert.equal(new Set(written.map((w) => w.id)).size, 6);
		const m = await admin.query(`SELECT version, name FROM "${schema}".dead_letter_migrations ORDER BY version`);
		assert.deepEqual(m.rows, [
			{ version: 1, name: 'create dead_letter_queue' },
			{ version: 2, name: 'per-queue entry counts for the cap' },
			{ version: 3, name: 'due entries by class' },
		]);
		const idx = await admin.query(`SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = 'dead_letter_queue' ORDER BY 1`, [schema]);
		assert.deepEqual(idx.rows.map((r) => r.indexname), [
			'dead_letter_queue_created',
			'dead_letter_queue_due',
			'dead_letter_queue_due_class',
			'dead_letter_queue_pkey',
			'dead_letter_queue_queue_status_created',
			'dead_letter_queue_status_created',
		]);
		assert.deepEqual(await migrate(admin, schema), [], 'a later start applies nothing');
		const rows = await admin.query(`SELECT queue, status, class, http_status, workflow_id, idempotency_key, attempt_count FROM "${schema}".dead_letter_queue ORDER BY item_index`);
		assert.deepEqual(rows.rows[0], { queue: 'leads', status: 'new', class: 'transient', http_status: 503, workflow_id: 'wf1', idempotency_key: 'lead-0', attempt_count: 2 });
	});

	it('a schema at version 1 is upgraded in place: version 2 backfills the per-queue counts from existing rows', async () => {
		const schema = newSchema();
		const v1 = MIGRATIONS[0];
		await admin.query(`CREATE SCHEMA "${schema}"`);
		await admin.query(`CREATE TABLE "${schema}".dead_letter_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
		await admin.query(v1.up(`"${schema}"`));
		await admin.query(`INSERT INTO "${schema}".dead_letter_migrations (version, name) VALUES (1, $1)`, [v1.name]);
		await admin.query(`INSERT INTO "${schema}".dead_letter_queue (id, queue, status, class, created_at, updated_at, origin, latest)
			SELECT 'dl_old_' || g, 'legacy', 'new', 'transient', now(), now(), '{}', '{}' FROM generate_series(1, 3) g`);
		assert.deepEqual(await migrate(admin, schema), [2, 3]);
		const sizes = await admin.query(`SELECT queue, entries FROM "${schema}".dead_letter_queue_sizes`);
		assert.deepEqual(sizes.rows, [{ queue: 'legacy', entries: 3 }]);
		const s = new PostgresDeadLetterStore({ pool: admin, schema, maxPerQueue: 3 });
		await assert.rejects(s.write(draft('legacy')), /full/, 'the backfilled count holds the cap');
		assert.equal((await s.get('dl_old_1'))?.status, 'new', 'rows written before the upgrade read back');
	});

	it('a counter that drifted through manual SQL is recounted at the cap instead of refusing a write that fits', async () => {
		const schema = newSchema();
		const s = new PostgresDeadLetterStore({ pool: admin, schema, maxPerQueue: 2 });
		const a = await s.write(draft('q'));
		await s.write(draft('q'));
		await admin.query(`DELETE FROM "${schema}".dead_letter_queue WHERE id = $1`, [a.id]);
		const w = await s.write(draft('q'));
		assert.equal(w.created, true);
		const sizes = await admin.query(`SELECT entries FROM "${schema}".dead_letter_queue_sizes WHERE queue = 'q'`);
		assert.equal(sizes.rows[0].entries, 2);
		await assert.rejects(s.write(draft('q')), /full/);
	});

	it('four replay workers on separate connections take 200 entries between them, each exactly once', async () => {
		const schema = newSchema();
		const writer = new PostgresDeadLetterStore({ pool: newPool(), schema });
		for (let n = 0; n < 200; n++) await writer.write(draft('flood', { n }));
		const workers = Array.from({ length: 4 }, () => new PostgresDeadLetterStore({ pool: newPool(), schema }));
		const taken: string[][] = workers.map(() => []);
		await Promise.all(
			workers.map(async (w, i) => {
				for (;;) {
					const batch = await w.claimDue({ queue: 'flood', limit: 15 });
					if (!batch.length) return;
					taken[i].push(...batch.map((e) => e.id));
				}
			}),
		);
		const all = taken.flat();
		assert.equal(all.length, 200);
		assert.equal(new Set(all).size, 200, 'no entry taken twice');
		assert.ok(taken.filter((t) => t.length > 0).length >= 2, `work was shared: ${taken.map((t) => t.length)}`);
		const counts = await admin.query(`SELECT status, replay_count, count(*)::int AS n FROM "${schema}".dead_letter_queue GROUP BY 1, 2`);
		assert.deepEqual(counts.rows, [{ status: 'requeued', replay_count: 1, n: 200 }]);
	});

	it('an unreachable server is a StoreUnavailableError, not a silent success', async () => {
		const pool = new Pool({ ...PG, port: 1, connectionTimeoutMillis: 2000 });
		pools.push(pool);
		const s = new PostgresDeadLetterStore({ pool, schema: newSchema() });
		await assert.rejects(s.write(draft('q')), (e: unknown) => isStoreUnavailableError(e) && /PostgreSQL is unreachable/.test((e as Error).message));
		await assert.rejects(s.write(draft('q')), (e: unknown) => isStoreUnavailableError(e), 'a failed migration is retried, and fails the same way');
	});

	it('the credential test says OK with a usable schema and explains each failure', async () => {
		const ok = await testResiliencePostgresCredential({ ...PG, password: '', ssl: 'disable', schema: 'not_created_yet' });
		assert.deepEqual(ok, { status: 'OK', message: 'Connected to PostgreSQL at 127.0.0.1:5432/test; dead letters go to "not_created_yet".dead_letter_queue' });
		const noSchema = await admin.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'not_created_yet'`);
		assert.equal(noSchema.rowCount, 0, 'the test creates nothing');
		const down = await testResiliencePostgresCredential({ ...PG, port: 1 });
		assert.equal(down.status, 'Error');
		assert.match(down.message, /Could not connect to PostgreSQL at 127\.0\.0\.1:1\/test/);
		const noDb = await testResiliencePostgresCredential({ ...PG, database: 'no_such_db_for_dlq' });
		assert.equal(noDb.status, 'Error');
		assert.match(noDb.message, /no_such_db_for_dlq/);
		assert.deepEqual(await testResiliencePostgresCredential({ ...PG, schema: 'bad-schema;drop' }), {
			status: 'Error',
			message: 'Invalid PostgreSQL schema "bad-schema;drop": letters, digits and _ only, at most 63 characters',
		});
		assert.deepEqual(await testResiliencePostgresCredential({ port: 5432 }), { status: 'Error', message: 'The PostgreSQL credential needs a host' });
	});
});
