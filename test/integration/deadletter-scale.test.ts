// The 4,000-lead night at dead-letter scale on Redis and PostgreSQL: write, page through, replay and resolve every entry.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { PostgresDeadLetterStore, RedisDeadLetterStore, type DeadLetterStore } from '../../src/deadletter';
import { deleteKeys } from '../contract/redis-helpers';
import { draft } from '../contract/deadletter-fixtures';

const N = 4000;
const redis = new Redis({ host: '127.0.0.1', port: 6379 });
const pool = new Pool({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test', max: 8 });
const prefix = `rt-dlq-scale-${randomUUID().slice(0, 8)}`;
const schema = `rt_dlq_scale_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
after(async () => {
	await deleteKeys(redis, `${prefix}:*`);
	await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
	await Promise.all([redis.quit(), pool.end()]);
});

async function inParallel(workers: number, jobs: number, fn: (i: number) => Promise<unknown>): Promise<void> {
	let next = 0;
	await Promise.all(Array.from({ length: workers }, async () => {
		while (next < jobs) await fn(next++);
	}));
}

async function night(name: string, make: () => DeadLetterStore): Promise<void> {
	const s = make();
	let t = Date.now();
	const ids: string[] = [];
	await inParallel(8, N, async (n) => void ids.push((await s.write(draft('hubspot', { n, cls: n % 10 === 0 ? 'permanent' : 'transient' }))).id));
	const writeMs = Date.now() - t;
	t = Date.now();
	const seen: string[] = [];
	let cursor: string | undefined;
	do {
		const page = await s.list({ queue: 'hubspot', limit: 500, cursor });
		seen.push(...page.entries.map((e) => e.id));
		cursor = page.nextCursor;
	} while (cursor);
	const listMs = Date.now() - t;
	assert.equal(new Set(seen).size, N, 'paging reaches every entry once');
	assert.deepEqual([...seen].sort(), [...ids].sort());
	assert.equal((await s.stats('hubspot')).queues[0].depth, N);
	t = Date.now();
	const replayers = Array.from({ length: 4 }, make);
	const taken: string[] = [];
	// Only what a resend can fix: every tenth entry is permanent and is passed over, left new for the discard below.
	await Promise.all(replayers.map(async (r) => {
		for (;;) {
			const batch = await r.claimDue({ queue: 'hubspot', limit: 250, classes: ['transient', 'quota-wait', 'refresh-auth'] });
			if (!batch.length) return;
			taken.push(...batch.map((e) => e.id));
			await r.resolve({ ids: batch.map((e) => e.id) }, { note: 'delivered by replay' });
		}
	}));
	const replayMs = Date.now() - t;
	assert.equal(taken.length, N - N / 10);
	assert.equal(new Set(taken).size, taken.length, 'no entry replayed twice');
	const discarded = await s.discard({ queue: 'hubspot', class: 'permanent', status: 'new' }, { note: 'bad data' });
	assert.equal(discarded.changed.length, N / 10, 'the permanent ones were never taken');
	const st = (await s.stats('hubspot')).queues[0];
	assert.deepEqual([st.depth, st.byStatus.resolved.count, st.byStatus.discarded.count], [0, N - N / 10, N / 10]);
	console.log(`# ${name}: ${N} writes in ${writeMs} ms (8 writers), list of ${N} in pages of 500 in ${listMs} ms, replay (transient only) + resolve of ${taken.length} by 4 workers in ${replayMs} ms`);
}

describe('dead letters at 4,000 leads', { timeout: 180_000 }, () => {
	it('Redis: every entry written, listed, replayed or discarded once', () => night('redis', () => new RedisDeadLetterStore(redis, { prefix })));
	it('PostgreSQL: every entry written, listed, replayed or discarded once', () => night('postgres', () => new PostgresDeadLetterStore({ pool, schema })));
});
