// Idempotency vocabulary shared by the engine, both ledgers and the Lua scripts (which mirror ledger-logic.ts).
import type { StoreKind } from '../store/types';

/** A claim is a lease: its holder runs the side effect, then completes (stores the result) or releases. */
export interface ClaimOptions {
	/** Token of the claimant; only it can complete or release the claim (a stale holder cannot). */
	owner: string;
	/** How long the claim protects the key; after it, a crashed holder's key can be taken over. */
	leaseMs?: number;
	/** Fingerprint of the payload (see `fingerprint()`); the same key with another fingerprint is a conflict. */
	fingerprint?: string;
	/** How long an in-progress or released record is remembered (default: the ledger's TTL, 24 h). */
	ttlMs?: number;
}

/** Set on a `new` claim that took the key over from a holder whose lease had expired (it probably crashed). */
export interface TakeOver {
	previousOwner: string;
	leaseExpiredAt: number;
	note: string;
}

export type ClaimResult =
	| {
			status: 'new';
			owner: string;
			leaseExpiresAt: number;
			/** Claims granted for this key so far, this one included (2+ = an earlier attempt failed or crashed). */
			attempt: number;
			/** The same owner claimed again while holding the key: its lease was renewed. */
			renewed?: boolean;
			tookOver?: TakeOver;
	  }
	| {
			status: 'duplicate';
			result: unknown;
			/** When the work that produced the result started (the key's first claim). */
			firstDoneAt: number;
			/** When the result was stored. */
			completedAt: number;
			attempt: number;
	  }
	| { status: 'in-progress'; owner: string; leaseExpiresAt: number }
	| { status: 'conflict'; storedFingerprint: string; state: 'in-progress' | 'completed' };

export type CompleteResult =
	| { status: 'completed'; completedAt: number; expiresAt: number; alreadyCompleted?: boolean }
	| { status: 'rejected'; reason: RejectReason; owner?: string };

export type ReleaseResult = { status: 'released'; attempt: number } | { status: 'rejected'; reason: RejectReason; owner?: string };

/** not-claimed: no live claim (never claimed, released, expired); not-owner: someone else holds or completed it. */
export type RejectReason = 'not-claimed' | 'not-owner' | 'already-completed';

export type LedgerState = 'absent' | 'in-progress' | 'completed' | 'released';

/** What `check` sees, read-only. `leaseExpired` marks an in-progress claim that a new claim would take over. */
export interface LedgerView {
	key: string;
	state: LedgerState;
	owner?: string;
	fingerprint?: string;
	leaseExpiresAt?: number;
	leaseExpired?: boolean;
	result?: unknown;
	firstDoneAt?: number;
	completedAt?: number;
	/** When the record is forgotten (its TTL). */
	expiresAt?: number;
	attempt: number;
	now: number;
}

/** One interface of atomic intents; every implementation passes test/contract/idempotency-ledger.contract.ts. */
export interface IdempotencyLedger {
	readonly kind: StoreKind;
	/** new (you hold it now), duplicate (done: here is the result), in-progress (someone else holds it), or conflict. */
	claim(key: string, o: ClaimOptions): Promise<ClaimResult>;
	/** Stores the result for `ttlMs` (default 24 h); only the current owner can. */
	complete(key: string, owner: string, result: unknown, ttlMs?: number): Promise<CompleteResult>;
	/** Gives the key up after a failure so a later attempt runs; only the current owner can. */
	release(key: string, owner: string): Promise<ReleaseResult>;
	/** The record as it is now, changing nothing. */
	check(key: string): Promise<LedgerView>;
}

/**
 * The stored form of one key; embedded snapshots hold these, Redis keeps the same fields in a hash.
 * `result` is the result's JSON text, so no store ever re-encodes user data.
 */
export interface LedgerRecord {
	state: 'in-progress' | 'completed' | 'released';
	owner: string;
	fingerprint: string;
	leaseExpiresAt: number;
	firstClaimedAt: number;
	completedAt: number;
	result: string;
	attempt: number;
	expiresAt: number;
	updatedAt: number;
}
