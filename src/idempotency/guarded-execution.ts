// The Resilient HTTP side of the guard: claim before the request, settle by the execution's outcome after it.
import { redactDeep } from '../redact';
import type { ExecutionResult, Outcome } from '../types';
import type { ClaimResult, CompleteResult, IdempotencyLedger, ReleaseResult, TakeOver } from './types';

/** complete: store the result (reruns get it); release: a later run may try again; keep: hold until the lease ends. */
export type SettleAction = 'complete' | 'release' | 'keep';

/**
 * Succeeded (or resolved: a 409 naming the existing record, a batch whose good records went through) → complete,
 * so nothing is sent twice. Nothing applied, or a permanent refusal → release. Outcome unknown → keep: an
 * immediate rerun must not repeat a write the server may have applied; after the lease a later run may retry.
 */
export const DEFAULT_SETTLE: Readonly<Record<Outcome, SettleAction>> = Object.freeze({
	success: 'complete',
	conflict: 'complete',
	partial: 'complete',
	'failed-permanent': 'release',
	'failed-exhausted': 'release',
	deferred: 'release',
	'circuit-open': 'release',
	cancelled: 'release',
	ambiguous: 'keep',
});

/** The action for a result: the table, except that a run stopped while its request was out keeps the key like ambiguous. */
export function settleActionFor(result: ExecutionResult, table: Partial<Record<Outcome, SettleAction>> = {}): SettleAction {
	if (result.outcome === 'cancelled' && result.inFlight) return table.ambiguous ?? DEFAULT_SETTLE.ambiguous;
	return table[result.outcome] ?? DEFAULT_SETTLE[result.outcome] ?? 'release';
}

export interface GuardedExecutionOptions {
	ledger: IdempotencyLedger;
	key: string;
	owner: string;
	fingerprint?: string;
	leaseMs?: number;
	ttlMs?: number;
	/** Sends the request; `idempotencyKey` must go out (as Idempotency-Key or the platform's header) on every attempt. */
	run: (idempotencyKey: string) => Promise<ExecutionResult>;
	/** What a rerun gets back; by default `storedResponse(result)`. */
	storedResult?: (r: ExecutionResult) => unknown;
	settle?: Partial<Record<Outcome, SettleAction>>;
}

export type GuardedExecution =
	| { status: 'executed'; result: ExecutionResult; action: SettleAction; settled?: CompleteResult | ReleaseResult; attempt: number; tookOver?: TakeOver }
	| { status: 'duplicate'; result: unknown; firstDoneAt: number; completedAt: number }
	| { status: 'in-progress'; owner: string; leaseExpiresAt: number }
	| { status: 'conflict'; storedFingerprint: string };

const BODY_LIMIT = 64 * 1024;

/** Outcome, status, body (parsed JSON when it is, secrets redacted, large bodies cut) and extracted ids; no headers. */
export function storedResponse(r: ExecutionResult): Record<string, unknown> {
	const out: Record<string, unknown> = { outcome: r.outcome };
	if (r.last?.kind === 'response') {
		const { status, body } = r.last.response;
		out.status = status;
		if (body.length > BODY_LIMIT) {
			out.body = body.slice(0, BODY_LIMIT);
			out.bodyTruncated = true;
		} else {
			try {
				out.body = redactDeep(JSON.parse(body) as unknown);
			} catch {
				out.body = body;
			}
		}
	}
	if (r.verdict?.extract) out.extract = r.verdict.extract;
	return out;
}

/** Claims `key`; only a `new` claim sends. A thrown error (a bug, not an HTTP failure) releases the key and propagates. */
export async function executeGuarded(o: GuardedExecutionOptions): Promise<GuardedExecution> {
	const c: ClaimResult = await o.ledger.claim(o.key, { owner: o.owner, leaseMs: o.leaseMs, ttlMs: o.ttlMs, fingerprint: o.fingerprint });
	if (c.status === 'duplicate') return { status: 'duplicate', result: c.result, firstDoneAt: c.firstDoneAt, completedAt: c.completedAt };
	if (c.status === 'in-progress') return c;
	if (c.status === 'conflict') return { status: 'conflict', storedFingerprint: c.storedFingerprint };
	let result: ExecutionResult;
	try {
		result = await o.run(o.key);
	} catch (e) {
		await o.ledger.release(o.key, o.owner);
		throw e;
	}
	const action = settleActionFor(result, o.settle);
	let settled: CompleteResult | ReleaseResult | undefined;
	if (action === 'complete') settled = await o.ledger.complete(o.key, o.owner, (o.storedResult ?? storedResponse)(result), o.ttlMs);
	else if (action === 'release') settled = await o.ledger.release(o.key, o.owner);
	const out: GuardedExecution = { status: 'executed', result, action, attempt: c.attempt };
	if (settled) out.settled = settled;
	if (c.tookOver) out.tookOver = c.tookOver;
	return out;
}
