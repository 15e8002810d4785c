import type { Clock } from '../types';
import { GLOBAL_NAMESPACE } from '../store/keys';
import { processEmbeddedCache, type EmbeddedCache } from '../store/embedded/cache';

/** A night of 4,000 leads × a few guarded steps fits many times over; past it the oldest idle keys go first. */
export const EMBEDDED_LEDGER_MAX_KEYS = 200_000;
import * as L from './ledger-logic';
import type { ClaimOptions, ClaimResult, CompleteResult, IdempotencyLedger, LedgerRecord, LedgerView, ReleaseResult } from './types';

/** Plain data for workflow static data: `{ version: 1, entries: { [key]: LedgerRecord } }`. */
export interface LedgerSnapshot {
	version: 1;
	entries: Record<string, LedgerRecord>;
}

export interface EmbeddedLedgerOptions {
	/** `wf:<workflowId>` by default in nodes (namespaceFor), or "global". */
	namespace?: string;
	clock?: Clock;
	/** Defaults to this process's idempotency cache (EMBEDDED_LEDGER_MAX_KEYS keys). */
	cache?: EmbeddedCache;
	/** How long a completed result (and an unfinished record) is kept; 24 h by default. */
	defaultTtlMs?: number;
	maxResultBytes?: number;
	/** A snapshot (from `snapshot()`, e.g. kept in workflow static data) to start from. */
	initialState?: LedgerSnapshot | null;
}

/**
 * The ledger in this process's memory; every method runs synchronously, so each intent is atomic.
 * Bounded by the cache: under pressure the least recently used records go first, and a forgotten key
 * would run again, which is why a multi-worker or high-volume setup should use Redis.
 */
export class EmbeddedIdempotencyLedger implements IdempotencyLedger {
	readonly kind = 'embedded' as const;
	readonly namespace: string;
	private readonly cache: EmbeddedCache;
	private readonly clock: Clock;
	private readonly prefix: string;
	private readonly ttlMs: number;
	private readonly maxResultBytes: number;

	constructor(o: EmbeddedLedgerOptions = {}) {
		this.cache = o.cache ?? processEmbeddedCache('idempotency', EMBEDDED_LEDGER_MAX_KEYS);
		this.clock = o.clock ?? { now: () => Date.now() };
		this.namespace = o.namespace ?? GLOBAL_NAMESPACE;
		this.prefix = `idempotency\u0000${this.namespace}\u0000`;
		this.ttlMs = L.validateTtl(o.defaultTtlMs ?? L.DEFAULT_TTL_MS);
		this.maxResultBytes = o.maxResultBytes ?? L.DEFAULT_MAX_RESULT_BYTES;
		if (o.initialState) this.restore(o.initialState);
	}

	private read(key: string): LedgerRecord | undefined {
		return this.cache.get(this.prefix + key) as LedgerRecord | undefined;
	}

	private write(key: string, rec: LedgerRecord | undefined): void {
		if (rec) this.cache.set(this.prefix + key, rec);
	}

	async claim(key: string, o: ClaimOptions): Promise<ClaimResult> {
		const c = L.resolveClaim(key, o, this.ttlMs);
		const d = L.claim(this.read(key), c, this.clock.now());
		this.write(key, d.store);
		return d.result;
	}

	async complete(key: string, owner: string, result: unknown, ttlMs?: number): Promise<CompleteResult> {
		L.validateKey(key);
		L.validateOwner(owner);
		const text = L.encodeResult(result, this.maxResultBytes);
		const d = L.complete(this.read(key), owner, text, L.validateTtl(ttlMs ?? this.ttlMs), this.clock.now());
		this.write(key, d.store);
		return d.result;
	}

	async release(key: string, owner: string): Promise<ReleaseResult> {
		L.validateKey(key);
		L.validateOwner(owner);
		const d = L.release(this.read(key), owner, this.clock.now());
		this.write(key, d.store);
		return d.result;
	}

	async check(key: string): Promise<LedgerView> {
		L.validateKey(key);
		return L.viewOf(key, this.cache.peek(this.prefix + key) as LedgerRecord | undefined, this.clock.now());
	}

	/** This namespace's live records as plain JSON, for the workflow's static data. */
	snapshot(): LedgerSnapshot {
		const now = this.clock.now();
		const entries: Record<string, LedgerRecord> = {};
		for (const [k, v] of this.cache.entries()) {
			if (k.startsWith(this.prefix) && L.live(v as LedgerRecord, now)) entries[k.slice(this.prefix.length)] = { ...(v as LedgerRecord) };
		}
		return { version: 1, entries };
	}

	toJSON(): LedgerSnapshot {
		return this.snapshot();
	}

	/** Loads a snapshot; expired entries are skipped and an entry in memory wins when it is at least as recent. */
	restore(s: LedgerSnapshot | undefined | null): number {
		if (!s || s.version !== 1 || typeof s.entries !== 'object' || s.entries === null) return 0;
		const now = this.clock.now();
		let loaded = 0;
		for (const [key, rec] of Object.entries(s.entries)) {
			const mine = this.read(key);
			if (!isRecord(rec) || !L.live(rec, now) || (mine && mine.updatedAt >= rec.updatedAt)) continue;
			this.cache.set(this.prefix + key, { ...rec });
			loaded++;
		}
		return loaded;
	}
}

function isRecord(r: unknown): r is LedgerRecord {
	const x = r as LedgerRecord | undefined;
	return (
		!!x &&
		(x.state === 'in-progress' || x.state === 'completed' || x.state === 'released') &&
		typeof x.owner === 'string' &&
		typeof x.fingerprint === 'string' &&
		typeof x.result === 'string' &&
		[x.leaseExpiresAt, x.firstClaimedAt, x.completedAt, x.attempt, x.expiresAt, x.updatedAt].every((n) => typeof n === 'number' && Number.isFinite(n))
	);
}
