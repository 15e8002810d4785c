// Store-agnostic rules: validation, ids, cursors, filters, the replay merge and stats; the Lua scripts and SQL mirror them.
import { randomBytes } from 'node:crypto';
import { MAX_ATTEMPTS_KEPT } from './redaction';
import {
	DEAD_LETTER_STATUSES,
	type DeadLetterDraft,
	type DeadLetterEntry,
	type DeadLetterFilter,
	type DeadLetterStats,
	type DeadLetterStatus,
	type DeadLetterTarget,
	type QueueStats,
} from './types';

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 500;
export const DEFAULT_SETTLE_LIMIT = 1000;
export const MAX_CLAIM = 1000;

export function validateQueue(queue: unknown): string {
	if (typeof queue !== 'string' || queue.trim() === '') throw new Error('Dead-letter queue name must be a non-empty string');
	if (queue.length > 200 || /[{}\s]/.test(queue)) throw new Error(`Invalid dead-letter queue name "${queue}": at most 200 characters, no spaces or braces`);
	return queue;
}

export function validateStatuses(s: DeadLetterFilter['status']): DeadLetterStatus[] | undefined {
	if (s === undefined) return undefined;
	const list = Array.isArray(s) ? s : [s];
	for (const x of list) if (!DEAD_LETTER_STATUSES.includes(x)) throw new Error(`Unknown dead-letter status "${String(x)}": use ${DEAD_LETTER_STATUSES.join(', ')}`);
	return list;
}

export function validateLimit(n: number | undefined, dflt: number, max: number, what: string): number {
	const v = n ?? dflt;
	if (!Number.isInteger(v) || v < 1 || v > max) throw new Error(`${what} must be a whole number from 1 to ${max}, got ${String(n)}`);
	return v;
}

let lastMs = -1;
let seq = 0;

/** Ids sort by creation time, then by order of creation in this process: `dl_<ms: 9><seq: 4><random: 12>` (base36/hex). */
export function newEntryId(nowMs: number): string {
	const t = Math.max(0, Math.floor(nowMs));
	seq = t === lastMs ? (seq + 1) % 36 ** 4 : 0;
	lastMs = t;
	return `dl_${t.toString(36).padStart(9, '0')}${seq.toString(36).padStart(4, '0')}${randomBytes(6).toString('hex')}`;
}

export function encodeCursor(createdAtMs: number, id: string): string {
	return Buffer.from(JSON.stringify([createdAtMs, id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): { at: number; id: string } | undefined {
	if (!cursor) return undefined;
	try {
		const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [number, string];
		if (typeof at === 'number' && typeof id === 'string') return { at, id };
	} catch {
		/* reported below */
	}
	throw new Error('Invalid dead-letter list cursor: pass the nextCursor of the previous page unchanged');
}

export const ms = (iso: string | undefined): number | undefined => (iso ? Date.parse(iso) : undefined);
export const iso = (t: number): string => new Date(t).toISOString();

/** Whether an entry matches a filter at store time `now`. */
export function matches(e: DeadLetterEntry, f: DeadLetterFilter, now: number): boolean {
	const statuses = validateStatuses(f.status);
	const age = now - (ms(e.createdAt) ?? now);
	return (
		(f.queue === undefined || e.queue === f.queue) &&
		(!statuses || statuses.includes(e.status)) &&
		(f.class === undefined || e.classification?.class === f.class) &&
		(f.minAgeMs === undefined || age >= f.minAgeMs) &&
		(f.maxAgeMs === undefined || age <= f.maxAgeMs)
	);
}

/** Oldest first: creation time, then id. */
export function compareEntries(a: DeadLetterEntry, b: DeadLetterEntry): number {
	return (ms(a.createdAt) ?? 0) - (ms(b.createdAt) ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function afterCursor(e: DeadLetterEntry, c: { at: number; id: string } | undefined): boolean {
	if (!c) return true;
	const at = ms(e.createdAt) ?? 0;
	return at > c.at || (at === c.at && e.id > c.id);
}

export function newEntry(id: string, d: DeadLetterDraft, now: number): DeadLetterEntry {
	return { ...d, id, status: 'new', replayCount: 0, attemptCount: d.attempts.length, createdAt: iso(now), updatedAt: iso(now) };
}

/** Fields that describe the latest failure: a replay failure replaces them all. */
export const LATEST_FIELDS = ['request', 'classification', 'retryAt', 'lastAttemptAt', 'executionId', 'warnings'] as const;
/** Fields that describe where the record came from: kept for the entry's life. */
export const ORIGIN_FIELDS = ['item', 'redactedItemFields', 'workflowId', 'workflowName', 'node', 'itemIndex', 'idempotencyKey'] as const;

export function pick(d: object, fields: readonly string[]): Record<string, unknown> {
	const src = d as Record<string, unknown>;
	const out: Record<string, unknown> = {};
	for (const f of fields) if (src[f] !== undefined) out[f] = src[f];
	return out;
}

/**
 * A replayed record failed again: what describes the latest failure is replaced (LATEST_FIELDS), what describes
 * its origin is kept (queue, ORIGIN_FIELDS, first attempt), attempts are appended, and the entry is open again.
 */
export function mergeReplayFailure(old: DeadLetterEntry, d: DeadLetterDraft, now: number): DeadLetterEntry {
	const merged = { ...old } as DeadLetterEntry & Record<string, unknown>;
	for (const f of LATEST_FIELDS) delete merged[f];
	Object.assign(merged, pick(d, LATEST_FIELDS), {
		attempts: [...old.attempts, ...d.attempts].slice(-MAX_ATTEMPTS_KEPT),
		attemptCount: old.attemptCount + d.attempts.length,
		status: 'new',
		updatedAt: iso(now),
	});
	const first = old.firstAttemptAt ?? d.firstAttemptAt;
	if (first !== undefined) merged.firstAttemptAt = first;
	return merged;
}

export function isDue(e: DeadLetterEntry, now: number, reclaimAfterMs?: number): boolean {
	if (e.status === 'requeued') return reclaimAfterMs !== undefined && (ms(e.updatedAt) ?? now) <= now - reclaimAfterMs;
	return e.status === 'new' && (e.retryAt === undefined || (ms(e.retryAt) ?? 0) <= now);
}

/** The classes a replay may take: absent means every class; a list must name at least one, each plain text. */
export function validateClasses(classes: unknown): string[] | undefined {
	if (classes === undefined) return undefined;
	if (!Array.isArray(classes) || classes.length === 0) throw new Error('Replay classes must list at least one class (leave them out to replay every class)');
	for (const c of classes) {
		if (typeof c !== 'string' || !/^[A-Za-z0-9_.:-]{1,100}$/.test(c)) throw new Error(`Invalid replay class ${JSON.stringify(c)}: a class name such as transient or quota-wait`);
	}
	return [...new Set(classes as string[])];
}

/** Whether an entry's class is among those a replay asked for (no list: any class). */
export const classWanted = (e: DeadLetterEntry, classes: string[] | undefined): boolean => !classes || classes.includes(String(e.classification?.class));

export function validateReclaim(ms: number | undefined): number | undefined {
	if (ms !== undefined && (!Number.isInteger(ms) || ms < 0)) throw new Error(`reclaimAfterMs must be a whole number of ms ≥ 0, got ${String(ms)}`);
	return ms;
}

export function targetIds(t: DeadLetterTarget): string[] | undefined {
	return 'ids' in t && Array.isArray(t.ids) ? t.ids : undefined;
}

export function emptyQueueStats(queue: string): QueueStats {
	const byStatus = Object.fromEntries(DEAD_LETTER_STATUSES.map((s) => [s, { count: 0 }])) as QueueStats['byStatus'];
	return { queue, depth: 0, byStatus };
}

/** Stats from a plain list of entries (the embedded store; the others compute the same in their store). */
export function statsOf(entries: Iterable<DeadLetterEntry>, now: number, queue?: string): DeadLetterStats {
	const byQueue = new Map<string, QueueStats>();
	for (const e of entries) {
		if (queue !== undefined && e.queue !== queue) continue;
		let q = byQueue.get(e.queue);
		if (!q) byQueue.set(e.queue, (q = emptyQueueStats(e.queue)));
		const age = Math.max(0, now - (ms(e.createdAt) ?? now));
		const s = q.byStatus[e.status];
		s.count++;
		s.oldestAgeMs = Math.max(s.oldestAgeMs ?? 0, age);
		if (e.status === 'new' || e.status === 'requeued') {
			q.depth++;
			q.oldestOpenAgeMs = Math.max(q.oldestOpenAgeMs ?? 0, age);
		}
	}
	return { now, queues: [...byQueue.values()].sort((a, b) => (a.queue < b.queue ? -1 : 1)) };
}
