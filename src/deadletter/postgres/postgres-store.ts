// Dead letters in PostgreSQL: one dead_letter_queue table teams can query with SQL; every intent is one transaction.
import type { Pool, PoolClient } from 'pg';
import { validateDraft } from '../builder';
import { queueFullError } from '../errors';
import * as L from '../logic';
import { sanitizeDraft, scrubText } from '../redaction';
import { OPEN_STATUSES } from '../types';
import type {
	ClaimDueOptions,
	DeadLetterDraft,
	DeadLetterEntry,
	DeadLetterFilter,
	DeadLetterStats,
	DeadLetterStatus,
	DeadLetterStore,
	DeadLetterTarget,
	ListOptions,
	ListResult,
	SettleOptions,
	SettleResult,
	WriteOptions,
	WriteResult,
} from '../types';
import { validateSchema } from './connection';
import { migrate, quoteIdent } from './migrations';
import { SELECT_COLS, fromRow, toPostgresStoreError, ts, upsertParams, upsertSql, whereOf, type Row } from './rows';

/** Trimming policy: closed entries make room past this many per queue; a queue full of open entries refuses writes. */
export const POSTGRES_DEFAULT_MAX_PER_QUEUE = 100_000;

/** Migrations already run (or running) per pool and schema, so a store built per execution does not re-check each time. */
const migrated = new WeakMap<Pool, Map<string, Promise<unknown>>>();

export interface PostgresDeadLetterStoreOptions {
	pool: Pool;
	schema?: string;
	/** 0 = unlimited. */
	maxPerQueue?: number;
	/** Added to the server's clock in every statement: lets tests move time forward without sleeping. */
	timeOffsetMs?: () => number;
}

export class PostgresDeadLetterStore implements DeadLetterStore {
	readonly kind = 'postgres' as const;
	readonly schema: string;
	readonly table: string;
	readonly maxPerQueue: number;
	private readonly pool: Pool;
	private readonly offset: () => number;
	private ready?: Promise<unknown>;

	constructor(o: PostgresDeadLetterStoreOptions) {
		this.pool = o.pool;
		this.schema = validateSchema(o.schema);
		this.table = `${quoteIdent(this.schema)}.dead_letter_queue`;
		this.maxPerQueue = o.maxPerQueue ?? POSTGRES_DEFAULT_MAX_PER_QUEUE;
		if (!Number.isInteger(this.maxPerQueue) || this.maxPerQueue < 0) throw new Error(`maxPerQueue must be a whole number ≥ 0, got ${String(o.maxPerQueue)}`);
		this.offset = o.timeOffsetMs ?? (() => 0);
	}

	/** Creates the table on first use: once per pool and schema in this process; a failure is retried on the next call. */
	ensureSchema(): Promise<unknown> {
		if (!this.ready) {
			let perPool = migrated.get(this.pool);
			if (!perPool) migrated.set(this.pool, (perPool = new Map()));
			let p = perPool.get(this.schema);
			if (!p) {
				const forget = perPool;
				p = migrate(this.pool, this.schema).catch((e) => (forget.delete(this.schema), (this.ready = undefined), Promise.reject(e)));
				perPool.set(this.schema, p);
			}
			this.ready = p;
		}
		return this.ready;
	}

	/** One transaction with the store's time (server clock + test offset) read inside it. */
	private async tx<T>(fn: (c: PoolClient, now: number) => Promise<T>): Promise<T> {
		let client: PoolClient | undefined;
		try {
			await this.ensureSchema();
			client = await this.pool.connect();
			await client.query('BEGIN');
			const r = await client.query<{ now: string }>(`SELECT round(extract(epoch from clock_timestamp()) * 1000)::bigint + $1::bigint AS now`, [Math.round(this.offset())]);
			const out = await fn(client, Number(r.rows[0].now));
			await client.query('COMMIT');
			return out;
		} catch (e) {
			await client?.query('ROLLBACK').catch(() => undefined);
			throw toPostgresStoreError(e);
		} finally {
			client?.release();
		}
	}

	async write(draft: DeadLetterDraft, o: WriteOptions = {}): Promise<WriteResult> {
		validateDraft(draft);
		const d = sanitizeDraft(draft);
		return this.tx(async (c, now) => {
			if (o.replayOf) {
				const r = await c.query<Row>(`SELECT ${SELECT_COLS} FROM ${this.table} WHERE id = $1 FOR UPDATE`, [o.replayOf]);
				if (r.rows[0]) {
					const merged = L.mergeReplayFailure(fromRow(r.rows[0]), d, now);
					const saved = await c.query<Row>(upsertSql(this.table), upsertParams(merged));
					return { id: merged.id, created: false, entry: fromRow(saved.rows[0]) };
				}
			}
			if (this.maxPerQueue > 0) await this.makeRoom(c, d.queue);
			const entry = L.newEntry(o.replayOf ?? L.newEntryId(now), d, now);
			const saved = await c.query<Row>(upsertSql(this.table), upsertParams(entry));
			return { id: entry.id, created: true, entry: fromRow(saved.rows[0]) };
		});
	}

	/**
	 * Counts the new entry on the queue's counter row (which also serialises writers of this queue); past the cap,
	 * recounts exactly (the counter may have drifted through manual SQL), deletes the oldest closed entries, or
	 * refuses (the rollback restores the counter and the rows).
	 */
	private async makeRoom(c: PoolClient, queue: string): Promise<void> {
		const sizes = `${quoteIdent(this.schema)}.dead_letter_queue_sizes`;
		const counted = await c.query<{ entries: number }>(
			`INSERT INTO ${sizes} (queue, entries) VALUES ($1, 1) ON CONFLICT (queue) DO UPDATE SET entries = ${sizes}.entries + 1 RETURNING entries`,
			[queue],
		);
		if (counted.rows[0].entries <= this.maxPerQueue) return;
		const n = Number((await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${this.table} WHERE queue = $1`, [queue])).rows[0].n);
		const excess = n - this.maxPerQueue + 1;
		let deleted = 0;
		if (excess > 0) {
			const del = await c.query(
				`DELETE FROM ${this.table} WHERE id IN (SELECT id FROM ${this.table} WHERE queue = $1 AND status IN ('resolved', 'discarded')
				 ORDER BY created_at, id LIMIT $2)`,
				[queue, excess],
			);
			deleted = del.rowCount ?? 0;
			if (deleted < excess) throw queueFullError('PostgreSQL', queue, this.maxPerQueue);
		}
		await c.query(`UPDATE ${sizes} SET entries = $2 WHERE queue = $1`, [queue, n - deleted + 1]);
	}

	async list(o: ListOptions = {}): Promise<ListResult> {
		const limit = L.validateLimit(o.limit, L.DEFAULT_PAGE, L.MAX_PAGE, 'Page size');
		const cursor = L.decodeCursor(o.cursor);
		const statuses = L.validateStatuses(o.status);
		return this.tx(async (c, now) => {
			const params: unknown[] = [];
			const where = whereOf(o, statuses, now, params, cursor);
			const r = await c.query<Row>(`SELECT ${SELECT_COLS} FROM ${this.table} ${where} ORDER BY created_at, id LIMIT ${limit + 1}`, params);
			const entries = r.rows.slice(0, limit).map(fromRow);
			const last = entries[entries.length - 1];
			return { entries, ...(r.rows.length > limit && last ? { nextCursor: L.encodeCursor(L.ms(last.createdAt) ?? 0, last.id) } : {}) };
		});
	}

	async get(id: string): Promise<DeadLetterEntry | undefined> {
		if (typeof id !== 'string' || id === '') return undefined;
		return this.tx(async (c) => {
			const r = await c.query<Row>(`SELECT ${SELECT_COLS} FROM ${this.table} WHERE id = $1`, [id]);
			return r.rows[0] ? fromRow(r.rows[0]) : undefined;
		});
	}

	/** SKIP LOCKED: a concurrent replay passes over rows another one is taking instead of taking them too. */
	async claimDue(o: ClaimDueOptions): Promise<DeadLetterEntry[]> {
		const limit = L.validateLimit(o.limit, 1, L.MAX_CLAIM, 'Replay limit');
		if (o.queue !== undefined) L.validateQueue(o.queue);
		const reclaim = L.validateReclaim(o.reclaimAfterMs);
		const classes = L.validateClasses(o.classes);
		return this.tx(async (c, now) => {
			const params: unknown[] = [now, limit];
			// Queue and class narrow both sources; the class column is indexed for due entries (migration 3).
			const narrow = `${o.queue !== undefined ? `AND queue = $${params.push(o.queue)}` : ''} ${classes ? `AND class = ANY($${params.push(classes)}::text[])` : ''}`;
			const stale = reclaim !== undefined ? `OR (status = 'requeued' ${narrow} AND updated_at <= ${ts(`$${params.push(now - reclaim)}`)})` : '';
			const r = await c.query<Row>(
				`UPDATE ${this.table} SET status = 'requeued', replay_count = replay_count + 1, updated_at = ${ts('$1')}
				 WHERE id IN (SELECT id FROM ${this.table} WHERE (status = 'new' ${narrow} AND (retry_at IS NULL OR retry_at <= ${ts('$1')})) ${stale}
				   ORDER BY created_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
				 RETURNING ${SELECT_COLS}`,
				params,
			);
			return r.rows.map(fromRow).sort(L.compareEntries);
		});
	}

	resolve(t: DeadLetterTarget, o?: SettleOptions): Promise<SettleResult> {
		return this.settle('resolved', t, o);
	}

	discard(t: DeadLetterTarget, o?: SettleOptions): Promise<SettleResult> {
		return this.settle('discarded', t, o);
	}

	private async settle(to: 'resolved' | 'discarded', t: DeadLetterTarget, o: SettleOptions = {}): Promise<SettleResult> {
		const ids = L.targetIds(t);
		const f = t as DeadLetterFilter & { limit?: number };
		const statuses = ids ? [...OPEN_STATUSES] : (L.validateStatuses(f.status) ?? [...OPEN_STATUSES]).filter((s) => OPEN_STATUSES.includes(s));
		const limit = ids ? 0 : L.validateLimit(f.limit, L.DEFAULT_SETTLE_LIMIT, 100_000, 'Limit');
		if (!statuses.length || (ids && !ids.length)) return { changed: [] };
		return this.tx(async (c, now) => {
			const params: unknown[] = [to, now, o.note === undefined ? null : scrubText(String(o.note))];
			const pick = ids
				? `SELECT id FROM ${this.table} WHERE id = ANY($${params.push(ids.map(String))}::text[]) AND status = ANY($${params.push(statuses)}::text[]) FOR UPDATE`
				: `SELECT id FROM ${this.table} ${whereOf(f, statuses as DeadLetterStatus[], now, params)} ORDER BY created_at, id LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
			const r = await c.query<{ id: string }>(
				`UPDATE ${this.table} SET status = $1, updated_at = ${ts('$2')}, note = COALESCE($3, note) WHERE id IN (${pick}) RETURNING id`,
				params,
			);
			return { changed: r.rows.map((x) => x.id) };
		});
	}

	async stats(queue?: string): Promise<DeadLetterStats> {
		if (queue !== undefined) L.validateQueue(queue);
		return this.tx(async (c, now) => {
			const params: unknown[] = [];
			const where = queue !== undefined ? `WHERE queue = $${params.push(queue)}` : '';
			const r = await c.query<{ queue: string; status: DeadLetterStatus; n: number; oldest: string }>(
				`SELECT queue, status, count(*)::int AS n, round(extract(epoch from min(created_at)) * 1000)::bigint AS oldest
				 FROM ${this.table} ${where} GROUP BY queue, status`,
				params,
			);
			const byQueue = new Map<string, ReturnType<typeof L.emptyQueueStats>>();
			for (const row of r.rows) {
				let qs = byQueue.get(row.queue);
				if (!qs) byQueue.set(row.queue, (qs = L.emptyQueueStats(row.queue)));
				const age = Math.max(0, now - Number(row.oldest));
				qs.byStatus[row.status] = { count: row.n, oldestAgeMs: age };
				if (row.status === 'new' || row.status === 'requeued') {
					qs.depth += row.n;
					qs.oldestOpenAgeMs = Math.max(qs.oldestOpenAgeMs ?? 0, age);
				}
			}
			return { now, queues: [...byQueue.values()].sort((a, b) => (a.queue < b.queue ? -1 : 1)) };
		});
	}
}
