// Mapping between DeadLetterEntry and dead_letter_queue rows, the filter's WHERE clause, and PostgreSQL errors.
import { StoreUnavailableError, isStoreUnavailableError } from '../../store/errors';
import * as L from '../logic';
import type { DeadLetterEntry, DeadLetterFilter, DeadLetterStatus } from '../types';

/** An exact timestamptz from epoch ms (integer arithmetic, so a cursor compares equal to the stored value). */
export const ts = (p: string) => `(timestamptz 'epoch' + (${p})::bigint * interval '1 millisecond')`;
const msOf = (col: string) => `round(extract(epoch from ${col}) * 1000)::bigint`;

export const SELECT_COLS = `id, queue, status, ${msOf('created_at')} AS created_ms, ${msOf('updated_at')} AS updated_ms,
  ${msOf('first_attempt_at')} AS first_ms, replay_count, attempt_count, note, origin, latest, attempts`;

export const COLUMNS = [
	'id', 'queue', 'status', 'class', 'reason', 'http_status', 'created_at', 'updated_at', 'retry_at', 'first_attempt_at',
	'last_attempt_at', 'replay_count', 'attempt_count', 'workflow_id', 'workflow_name', 'execution_id', 'node', 'item_index',
	'idempotency_key', 'note', 'origin', 'latest', 'attempts',
] as const;
const TIME_COLS = new Set(['created_at', 'updated_at', 'retry_at', 'first_attempt_at', 'last_attempt_at']);
const JSON_COLS = new Set(['origin', 'latest', 'attempts']);

/** INSERT of a whole entry; on an existing id every column is replaced (the replay merge is computed under a row lock). */
export function upsertSql(table: string): string {
	const values = COLUMNS.map((c, i) => (TIME_COLS.has(c) ? ts(`$${i + 1}`) : JSON_COLS.has(c) ? `$${i + 1}::jsonb` : `$${i + 1}`));
	const updates = COLUMNS.filter((c) => c !== 'id').map((c) => `${c} = EXCLUDED.${c}`);
	return `INSERT INTO ${table} (${COLUMNS.join(', ')}) VALUES (${values.join(', ')}) ON CONFLICT (id) DO UPDATE SET ${updates.join(', ')} RETURNING ${SELECT_COLS}`;
}

export function upsertParams(e: DeadLetterEntry): unknown[] {
	const c = e.classification;
	return [
		e.id, e.queue, e.status, String(c.class), c.reason ?? null, c.status ?? null, L.ms(e.createdAt), L.ms(e.updatedAt),
		L.ms(e.retryAt) ?? null, L.ms(e.firstAttemptAt) ?? null, L.ms(e.lastAttemptAt) ?? null, e.replayCount, e.attemptCount,
		e.workflowId ?? null, e.workflowName ?? null, e.executionId ?? null, e.node ?? null, e.itemIndex ?? null,
		e.idempotencyKey ?? null, e.note ?? null, JSON.stringify(L.pick(e, L.ORIGIN_FIELDS)), JSON.stringify(L.pick(e, L.LATEST_FIELDS)),
		JSON.stringify(e.attempts),
	];
}

export interface Row {
	id: string;
	queue: string;
	status: DeadLetterStatus;
	created_ms: string;
	updated_ms: string;
	first_ms: string | null;
	replay_count: number;
	attempt_count: number;
	note: string | null;
	origin: Record<string, unknown>;
	latest: Record<string, unknown>;
	attempts: DeadLetterEntry['attempts'];
}

export function fromRow(r: Row): DeadLetterEntry {
	const e = { ...r.origin, ...r.latest } as unknown as DeadLetterEntry;
	Object.assign(e, {
		id: r.id, queue: r.queue, status: r.status, replayCount: r.replay_count, attemptCount: r.attempt_count,
		createdAt: L.iso(Number(r.created_ms)), updatedAt: L.iso(Number(r.updated_ms)), attempts: r.attempts,
	});
	if (r.first_ms !== null) e.firstAttemptAt = L.iso(Number(r.first_ms));
	if (r.note !== null) e.note = r.note;
	return e;
}

/** WHERE for a filter at store time `now` (and after a cursor); parameters are appended to `params`. */
export function whereOf(f: DeadLetterFilter, statuses: DeadLetterStatus[] | undefined, now: number, params: unknown[], cursor?: { at: number; id: string }): string {
	const p = (v: unknown) => `$${params.push(v)}`;
	const w: string[] = [];
	if (f.queue !== undefined) w.push(`queue = ${p(L.validateQueue(f.queue))}`);
	if (statuses) w.push(`status = ANY(${p(statuses)}::text[])`);
	if (f.class !== undefined) w.push(`class = ${p(f.class)}`);
	if (f.minAgeMs !== undefined) w.push(`created_at <= ${ts(p(now - f.minAgeMs))}`);
	if (f.maxAgeMs !== undefined) w.push(`created_at >= ${ts(p(now - f.maxAgeMs))}`);
	if (cursor) w.push(`(created_at, id) > (${ts(p(cursor.at))}, ${p(cursor.id)}::text)`);
	return w.length ? `WHERE ${w.join(' AND ')}` : '';
}

const UNREACHABLE_CODES = /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|EPIPE|57P0[1-3]|08\d{3}|53300)$/;

/** Maps a pg failure to StoreUnavailableError when it is about reaching the server; SQL errors pass through. */
export function toPostgresStoreError(e: unknown): unknown {
	if (isStoreUnavailableError(e)) return e;
	const err = e as { code?: string; message?: string };
	const message = String(err?.message ?? e);
	const unreachable = (err?.code && UNREACHABLE_CODES.test(err.code)) || /timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED/i.test(message);
	return unreachable ? new StoreUnavailableError('PostgreSQL', message, { cause: e }) : e;
}
