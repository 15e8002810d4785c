// The ledger's rules as pure functions over a LedgerRecord; the Lua scripts in ./scripts mirror this file
// line by line, and the contract suite holds the embedded and Redis ledgers equal.
import type { ClaimOptions, ClaimResult, CompleteResult, LedgerRecord, LedgerView, ReleaseResult } from './types';

export const DEFAULT_LEASE_MS = 5 * 60_000;
export const DEFAULT_TTL_MS = 24 * 60 * 60_000;
/** A stored result larger than this is refused: the ledger is not a blob store. */
export const DEFAULT_MAX_RESULT_BYTES = 256 * 1024;

export interface ResolvedClaim {
	owner: string;
	leaseMs: number;
	fingerprint: string;
	ttlMs: number;
}

const positiveInt = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1;

export function validateKey(key: string): void {
	if (typeof key !== 'string' || key.length === 0) throw new Error('Idempotency key must be a non-empty string');
	if (key.length > 1024) throw new Error('Idempotency key is longer than 1024 characters: derive a hash (deriveKey) instead');
}

export function validateOwner(owner: string): void {
	if (typeof owner !== 'string' || owner.length === 0) throw new Error('Idempotency owner token must be a non-empty string');
}

export function validateTtl(ttlMs: number): number {
	if (!positiveInt(ttlMs)) throw new Error(`Idempotency TTL must be a whole number of ms ≥ 1, got ${String(ttlMs)}`);
	return ttlMs;
}

/** Defaults filled in and checked; an in-progress record is kept at least as long as its lease. */
export function resolveClaim(key: string, o: ClaimOptions, defaultTtlMs: number): ResolvedClaim {
	validateKey(key);
	validateOwner(o?.owner);
	const leaseMs = o.leaseMs ?? DEFAULT_LEASE_MS;
	if (!positiveInt(leaseMs)) throw new Error(`Idempotency lease must be a whole number of ms ≥ 1, got ${String(leaseMs)}`);
	const ttlMs = validateTtl(o.ttlMs ?? defaultTtlMs);
	if (o.fingerprint !== undefined && typeof o.fingerprint !== 'string') throw new Error('Fingerprint must be a string');
	return { owner: o.owner, leaseMs, fingerprint: o.fingerprint ?? '', ttlMs: Math.max(ttlMs, leaseMs) };
}

/** The result as JSON text; `undefined` is stored as null. */
export function encodeResult(result: unknown, maxBytes = DEFAULT_MAX_RESULT_BYTES): string {
	const text = JSON.stringify(result === undefined ? null : result);
	if (text === undefined) throw new Error('Idempotency result must be JSON-serialisable');
	const bytes = Buffer.byteLength(text, 'utf8');
	if (bytes > maxBytes) throw new Error(`Idempotency result is ${bytes} bytes, over the ${maxBytes}-byte limit: store chosen fields only`);
	return text;
}

export const decodeResult = (text: string): unknown => (text === '' ? null : JSON.parse(text));

/** A record past its TTL counts as absent. */
export function live(rec: LedgerRecord | undefined, now: number): LedgerRecord | undefined {
	return rec && rec.expiresAt > now ? rec : undefined;
}

/** Decides a claim and returns the record to store (undefined = nothing changes). */
export function claim(found: LedgerRecord | undefined, c: ResolvedClaim, now: number): { result: ClaimResult; store?: LedgerRecord } {
	const rec = live(found, now);
	if (!rec || rec.state === 'released') {
		const next: LedgerRecord = {
			state: 'in-progress',
			owner: c.owner,
			fingerprint: c.fingerprint,
			leaseExpiresAt: now + c.leaseMs,
			firstClaimedAt: rec ? rec.firstClaimedAt : now,
			completedAt: 0,
			result: '',
			attempt: (rec ? rec.attempt : 0) + 1,
			expiresAt: now + c.ttlMs,
			updatedAt: now,
		};
		return { result: { status: 'new', owner: c.owner, leaseExpiresAt: next.leaseExpiresAt, attempt: next.attempt }, store: next };
	}
	if (c.fingerprint !== '' && rec.fingerprint !== '' && c.fingerprint !== rec.fingerprint) {
		return { result: { status: 'conflict', storedFingerprint: rec.fingerprint, state: rec.state } };
	}
	if (rec.state === 'completed') {
		const result = decodeResult(rec.result);
		return { result: { status: 'duplicate', result, firstDoneAt: rec.firstClaimedAt, completedAt: rec.completedAt, attempt: rec.attempt } };
	}
	if (rec.owner !== c.owner && rec.leaseExpiresAt > now) {
		return { result: { status: 'in-progress', owner: rec.owner, leaseExpiresAt: rec.leaseExpiresAt } };
	}
	const renewed = rec.owner === c.owner;
	const next: LedgerRecord = {
		...rec,
		owner: c.owner,
		fingerprint: rec.fingerprint || c.fingerprint,
		leaseExpiresAt: now + c.leaseMs,
		attempt: renewed ? rec.attempt : rec.attempt + 1,
		expiresAt: Math.max(rec.expiresAt, now + c.ttlMs),
		updatedAt: now,
	};
	const out: ClaimResult = { status: 'new', owner: c.owner, leaseExpiresAt: next.leaseExpiresAt, attempt: next.attempt };
	if (renewed) out.renewed = true;
	else out.tookOver = takeOver(rec.owner, rec.leaseExpiresAt);
	return { result: out, store: next };
}

export function takeOver(previousOwner: string, leaseExpiredAt: number): { previousOwner: string; leaseExpiredAt: number; note: string } {
	const when = new Date(leaseExpiredAt).toISOString();
	return { previousOwner, leaseExpiredAt, note: `took over an expired lease: ${previousOwner} held this key until ${when} and did not complete it` };
}

/** Stores the result when `owner` holds the claim; the same owner completing twice gets the first answer. */
export function complete(found: LedgerRecord | undefined, owner: string, result: string, ttlMs: number, now: number): { result: CompleteResult; store?: LedgerRecord } {
	const rec = live(found, now);
	if (!rec || rec.state === 'released') return { result: { status: 'rejected', reason: 'not-claimed' } };
	if (rec.state === 'completed') {
		if (rec.owner === owner) return { result: { status: 'completed', completedAt: rec.completedAt, expiresAt: rec.expiresAt, alreadyCompleted: true } };
		return { result: { status: 'rejected', reason: 'already-completed', owner: rec.owner } };
	}
	if (rec.owner !== owner) return { result: { status: 'rejected', reason: 'not-owner', owner: rec.owner } };
	const next: LedgerRecord = { ...rec, state: 'completed', completedAt: now, result, expiresAt: now + ttlMs, updatedAt: now };
	return { result: { status: 'completed', completedAt: now, expiresAt: next.expiresAt }, store: next };
}

/** Frees the key when `owner` holds the claim; the record (first claim, attempt count) is kept until its TTL. */
export function release(found: LedgerRecord | undefined, owner: string, now: number): { result: ReleaseResult; store?: LedgerRecord } {
	const rec = live(found, now);
	if (!rec || rec.state === 'released') return { result: { status: 'rejected', reason: 'not-claimed' } };
	if (rec.state === 'completed') return { result: { status: 'rejected', reason: 'already-completed', owner: rec.owner } };
	if (rec.owner !== owner) return { result: { status: 'rejected', reason: 'not-owner', owner: rec.owner } };
	const next: LedgerRecord = { ...rec, state: 'released', owner: '', leaseExpiresAt: 0, updatedAt: now };
	return { result: { status: 'released', attempt: rec.attempt }, store: next };
}

export function viewOf(key: string, found: LedgerRecord | undefined, now: number): LedgerView {
	const rec = live(found, now);
	if (!rec) return { key, state: 'absent', attempt: 0, now };
	const v: LedgerView = { key, state: rec.state, attempt: rec.attempt, firstDoneAt: rec.firstClaimedAt, expiresAt: rec.expiresAt, now };
	if (rec.fingerprint) v.fingerprint = rec.fingerprint;
	if (rec.state !== 'released') v.owner = rec.owner;
	if (rec.state === 'in-progress') {
		v.leaseExpiresAt = rec.leaseExpiresAt;
		v.leaseExpired = rec.leaseExpiresAt <= now;
	}
	if (rec.state === 'completed') {
		v.completedAt = rec.completedAt;
		v.result = decodeResult(rec.result);
	}
	return v;
}
