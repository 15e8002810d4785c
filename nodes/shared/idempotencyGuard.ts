// Resilient HTTP's idempotency guard, pure parts: claim → send → settle per item, the item shapes it produces,
// and the rule that turns a 409 "already exists" into a resolved item. No n8n runtime here, so it is unit-tested.
import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_LEASE_MS, fingerprint, settleActionFor, storedResponse, type IdempotencyLedger, type SettleAction, type TakeOver } from '../../src/idempotency';
import { isStoreUnavailableError } from '../../src/store';
import type { AttemptRecord, ExecutionResult, RetryPolicy } from '../../src/types';
import { STORE_OUTAGE_RETRY_MS } from './gateStop';
import { toItemJson } from './output';

/** The payload a key is bound to: the same key with another method, URL or body is a conflict, not a duplicate. */
export function requestFingerprint(method: string, url: string, body: string | undefined): string {
	return fingerprint({ method: method.toUpperCase(), url, body: body ?? null });
}

/** A claim must outlive every attempt and wait of the item, or a slow item's key could be taken over mid-flight. */
export function guardLeaseMs(policy: Pick<RetryPolicy, 'maxRetryWindowMs' | 'timeoutMs'>): number {
	return Math.max(DEFAULT_LEASE_MS, policy.maxRetryWindowMs + 2 * policy.timeoutMs);
}

/** Codes that prove the request never reached the server. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ERR_INVALID_URL']);

/** An attempt after which the server may have applied the write: a network failure after connecting, a 5xx, a 408. */
export function mayHaveApplied(a: AttemptRecord): boolean {
	if (a.status === undefined) return a.errorCode !== undefined && !NOT_SENT.has(a.errorCode);
	return a.status >= 500 || a.status === 408;
}

export type ConflictResolution = { resolved: false } | { resolved: true; existingId: string; why: 'own-retry' | 'treat-as-resolved' };

/**
 * A conflict naming the existing record is resolved when an earlier attempt of this item may have created it (our
 * own retry met our own write) or when the user said every such conflict is fine; otherwise it stays a failure.
 */
export function resolveConflict(result: ExecutionResult, treatAsResolved: boolean): ConflictResolution {
	const existingId = result.verdict?.extract?.existingId;
	if (result.outcome !== 'conflict' || !existingId) return { resolved: false };
	const earlier = result.attempts.slice(0, -1);
	if (earlier.some(mayHaveApplied)) return { resolved: true, existingId, why: 'own-retry' };
	if (treatAsResolved) return { resolved: true, existingId, why: 'treat-as-resolved' };
	return { resolved: false };
}

/** The Success item of a resolved conflict: the existing record's id, and why the 409 counts as done. */
export function resolvedConflictJson(result: ExecutionResult, r: Extract<ConflictResolution, { resolved: true }>): IDataObject {
	const last = result.attempts[result.attempts.length - 1];
	return {
		existingId: r.existingId,
		resolved: true,
		resolution: {
			why: r.why,
			status: last?.status ?? 409,
			rule: result.verdict?.rule ?? 'conflict',
			reason: result.verdict?.reason ?? 'the record already exists',
			attempts: result.attempts.length,
		},
	};
}

/** What the ledger keeps for reruns: the redacted response, or for a resolved conflict the item it produced. */
export function guardStoredResult(result: ExecutionResult, resolution: ConflictResolution): Record<string, unknown> {
	const stored = storedResponse(result);
	if (resolution.resolved) return { ...stored, outcome: 'resolved-conflict', body: resolvedConflictJson(result, resolution) };
	return stored;
}

/** Like executeGuarded's table, except an unresolved conflict releases: the rerun must meet the same 409, not a stored success. */
export function guardSettleAction(result: ExecutionResult, resolution: ConflictResolution): SettleAction {
	if (result.outcome === 'conflict' && !resolution.resolved) return 'release';
	return settleActionFor(result);
}

export type GuardedItem =
	| { status: 'executed'; result: ExecutionResult; resolution: ConflictResolution; action: SettleAction; attempt: number; tookOver?: TakeOver; warning?: string }
	| { status: 'duplicate'; stored: Record<string, unknown>; firstDoneAt: number; completedAt: number }
	/** sameBatchAs: another item of this very execution carries the same request (same key), and holds the claim. */
	| { status: 'in-progress'; leaseExpiresAt: number; sameBatchAs?: number }
	| { status: 'conflict' }
	| { status: 'ledger-error'; unreachable: boolean; message: string };

export interface GuardedItemOptions {
	ledger: IdempotencyLedger;
	key: string;
	owner: string;
	fingerprint: string;
	leaseMs: number;
	ttlMs: number;
	treatConflictAsResolved: boolean;
	/** Sends with the key on every attempt; never throws (an engine bug is already a Failed result). */
	run: () => Promise<ExecutionResult>;
	explain: (e: unknown) => string;
}

/** Only a `new` claim sends. A ledger that fails after the request keeps the request's result and warns. */
export async function runGuardedItem(o: GuardedItemOptions): Promise<GuardedItem> {
	let claim;
	try {
		claim = await o.ledger.claim(o.key, { owner: o.owner, leaseMs: o.leaseMs, ttlMs: o.ttlMs, fingerprint: o.fingerprint });
	} catch (e) {
		// No claim, no request: unreachable Redis, or input the ledger refuses (an over-long key).
		return { status: 'ledger-error', unreachable: isStoreUnavailableError(e), message: o.explain(e) };
	}
	if (claim.status === 'duplicate') {
		const stored = claim.result && typeof claim.result === 'object' ? (claim.result as Record<string, unknown>) : { body: claim.result };
		return { status: 'duplicate', stored, firstDoneAt: claim.firstDoneAt, completedAt: claim.completedAt };
	}
	if (claim.status === 'in-progress') return { status: 'in-progress', leaseExpiresAt: claim.leaseExpiresAt };
	if (claim.status === 'conflict') return { status: 'conflict' };
	const result = await o.run();
	const resolution = resolveConflict(result, o.treatConflictAsResolved);
	const action = guardSettleAction(result, resolution);
	const out: GuardedItem = { status: 'executed', result, resolution, action, attempt: claim.attempt };
	if (claim.tookOver) out.tookOver = claim.tookOver;
	try {
		if (action === 'complete') await o.ledger.complete(o.key, o.owner, guardStoredResult(result, resolution), o.ttlMs);
		else if (action === 'release') await o.ledger.release(o.key, o.owner);
	} catch (e) {
		out.warning = `the request's result stands, but the idempotency ledger could not ${action} key ${o.key}: ${o.explain(e)}`;
	}
	return out;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A duplicate's Success json: the stored body as the first run returned it, plus `idempotency` (no `resilience`). */
export function duplicateJson(key: string, d: Extract<GuardedItem, { status: 'duplicate' }>): IDataObject {
	const json = toItemJson(d.stored.body);
	const marker: IDataObject = { duplicate: true, ledgerId: key, firstDoneAt: iso(d.firstDoneAt), completedAt: iso(d.completedAt) };
	if (typeof d.stored.outcome === 'string') marker.storedOutcome = d.stored.outcome;
	if (typeof d.stored.status === 'number') marker.status = d.stored.status;
	json.idempotency = marker;
	return json;
}

/** The `resilience` report of an item the guard stopped before any request. */
export function guardStopReport(
	key: string,
	g: Exclude<GuardedItem, { status: 'executed' } | { status: 'duplicate' }>,
	request: { method: string; url: string },
): { outcome: string; class: string; reason: string; rule: string; retryAt?: string; sameBatchAs?: number; request: IDataObject; attempts: [] } {
	const base = { request: { ...request, idempotencyKey: key }, attempts: [] as [] };
	if (g.status === 'in-progress') {
		const reason =
			g.sameBatchAs !== undefined
				? `Item ${g.sameBatchAs} of this execution carries the same request (idempotency key ${key}) and sends it: no request sent for this copy`
				: `Another execution holds idempotency key ${key} until ${iso(g.leaseExpiresAt)}: no request sent; retry after then`;
		return {
			...base,
			outcome: 'in-progress',
			class: 'transient',
			rule: g.sameBatchAs !== undefined ? 'idempotency.same-batch' : 'idempotency.in-progress',
			reason,
			retryAt: iso(g.leaseExpiresAt),
			...(g.sameBatchAs !== undefined ? { sameBatchAs: g.sameBatchAs } : {}),
		};
	}
	if (g.status === 'conflict') {
		return {
			...base,
			outcome: 'conflict',
			class: 'permanent',
			rule: 'idempotency.conflict',
			reason: `Idempotency key ${key} was used for a different request (method, URL or body): no request sent`,
		};
	}
	if (g.unreachable) {
		// The ledger being down says nothing about the record: send it again once the ledger answers.
		const retryAt = iso(Date.now() + STORE_OUTAGE_RETRY_MS);
		return { ...base, outcome: 'deferred', class: 'transient', rule: 'idempotency.store-unreachable', reason: `${g.message}; no request sent`, retryAt };
	}
	return { ...base, outcome: 'failed-permanent', class: 'permanent', rule: 'idempotency.claim-failed', reason: g.message };
}
