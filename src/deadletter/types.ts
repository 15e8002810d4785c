// Dead-letter vocabulary shared by the builder, the three stores and the Lua scripts.
import type { AttemptRecord, Outcome, ResultClass } from '../types';

export type DeadLetterStatus = 'new' | 'requeued' | 'resolved' | 'discarded';
export const DEAD_LETTER_STATUSES: readonly DeadLetterStatus[] = ['new', 'requeued', 'resolved', 'discarded'];
/** Entries still waiting for someone: a replay takes `new` ones, resolve/discard close `new` and `requeued` ones. */
export const OPEN_STATUSES: readonly DeadLetterStatus[] = ['new', 'requeued'];

export type DeadLetterStoreKind = 'static-data' | 'redis' | 'postgres';

export interface DeadLetterRequest {
	method: string;
	url: string;
	headers: Record<string, string>;
	body?: unknown;
}

export interface DeadLetterClassification {
	outcome: Outcome | string;
	class: ResultClass | string;
	reason: string;
	rule?: string;
	status?: number;
	ambiguous?: boolean;
}

/** What a caller hands to `write`: everything but the store-owned fields. */
export interface DeadLetterDraft {
	queue: string;
	/** The original item's json (without its `resilience` report, which lives in the fields below). */
	item: unknown;
	request: DeadLetterRequest;
	classification: DeadLetterClassification;
	attempts: AttemptRecord[];
	firstAttemptAt?: string;
	lastAttemptAt?: string;
	/** ISO time before which a replay must not take the entry (deferred items). */
	retryAt?: string;
	workflowId?: string;
	workflowName?: string;
	executionId?: string;
	node?: string;
	itemIndex?: number;
	idempotencyKey?: string;
	warnings?: string[];
	/** Paths of item fields masked on write (secret-named): a replay sends "[redacted]" there unless the workflow restores them. */
	redactedItemFields?: string[];
}

export interface DeadLetterEntry extends DeadLetterDraft {
	id: string;
	status: DeadLetterStatus;
	replayCount: number;
	/** Attempts made over the entry's life; `attempts` keeps the latest MAX_ATTEMPTS_KEPT of them. */
	attemptCount: number;
	createdAt: string;
	updatedAt: string;
	note?: string;
}

export interface WriteOptions {
	/** Id of the entry this item was replayed from: a repeat failure returns to that entry, attempts appended. */
	replayOf?: string;
}

export interface WriteResult {
	id: string;
	/** false when the write appended to an existing entry (a replayed record failing again). */
	created: boolean;
	entry: DeadLetterEntry;
}

export interface DeadLetterFilter {
	queue?: string;
	status?: DeadLetterStatus | DeadLetterStatus[];
	class?: string;
	/** Only entries created at least this long ago. */
	minAgeMs?: number;
	/** Only entries created at most this long ago. */
	maxAgeMs?: number;
}

export interface ListOptions extends DeadLetterFilter {
	/** Page size, 1..500 (default 50). */
	limit?: number;
	/** `nextCursor` of the previous page. */
	cursor?: string;
}

/** Oldest first (creation time, then id); `nextCursor` is absent on the last page. */
export interface ListResult {
	entries: DeadLetterEntry[];
	nextCursor?: string;
}

export interface ClaimDueOptions {
	/** Limit the replay to one queue (default: every queue). */
	queue?: string;
	/** At most this many entries per call (1..1000). */
	limit: number;
	/**
	 * Only entries of these classes (classification.class), e.g. ['transient', 'quota-wait', 'refresh-auth']; entries of
	 * other classes are passed over and stay `new`, and the limit counts matching entries only. Absent: every class.
	 */
	classes?: string[];
	/**
	 * Also take requeued entries untouched for this long: the replay that took them never reported back (its
	 * execution crashed or was stopped). Off by default; replay is at-least-once when set.
	 */
	reclaimAfterMs?: number;
}

/** resolve / discard: explicit ids, or every open entry matching a filter (at most `limit`, default 1000). */
export type DeadLetterTarget = { ids: string[] } | (DeadLetterFilter & { limit?: number });

export interface SettleOptions {
	note?: string;
}

export interface SettleResult {
	/** Ids whose status changed; ids that were absent or already closed are not listed. */
	changed: string[];
}

export interface StatusStats {
	count: number;
	/** Age of the oldest entry in this status, ms (absent when count is 0). */
	oldestAgeMs?: number;
}

export interface QueueStats {
	queue: string;
	/** Open entries (new + requeued): what still needs someone. */
	depth: number;
	oldestOpenAgeMs?: number;
	byStatus: Record<DeadLetterStatus, StatusStats>;
}

export interface DeadLetterStats {
	/** Store time the figures were taken at (epoch ms). */
	now: number;
	queues: QueueStats[];
}

/** One interface of atomic intents; every implementation passes test/contract/deadletter-store.contract.ts. */
export interface DeadLetterStore {
	readonly kind: DeadLetterStoreKind;
	/** Stores a new entry (redacted and capped here, whatever the caller did), or appends to the replayed one. */
	write(draft: DeadLetterDraft, o?: WriteOptions): Promise<WriteResult>;
	list(o?: ListOptions): Promise<ListResult>;
	get(id: string): Promise<DeadLetterEntry | undefined>;
	/** Takes up to `limit` new entries that are due (of `classes`, if given), marks them requeued and counts the replay; never the same entry twice. */
	claimDue(o: ClaimDueOptions): Promise<DeadLetterEntry[]>;
	resolve(target: DeadLetterTarget, o?: SettleOptions): Promise<SettleResult>;
	discard(target: DeadLetterTarget, o?: SettleOptions): Promise<SettleResult>;
	stats(queue?: string): Promise<DeadLetterStats>;
}
