// How an item ends when a gate (circuit breaker, rate limiter) stops it rather than the API answering it.
import type { AttemptGate, ExecutionResult, Verdict } from '../../src/types';

/**
 * A state store that does not answer proves nothing about the API or the record: the item leaves deferred (class
 * transient) with a retryAt this far ahead, so a dead-letter replay or a rerun sends it once the store is back.
 */
export const STORE_OUTAGE_RETRY_MS = 60_000;

export function storeOutageStop(reason: string, now = Date.now()): AttemptGate {
	return { stop: 'deferred', reason, retryAt: now + STORE_OUTAGE_RETRY_MS };
}

/** The verdict of an item a gate stopped: its reason and, after retries, what the last attempt had said. */
export function gateVerdict(result: ExecutionResult, reason: string, rule: string, cls: Verdict['class']): Verdict {
	const after = result.attempts.length ? ` (after ${result.attempts.length} attempt(s): ${result.verdict?.reason ?? ''})` : '';
	return { class: cls, rule, breakerFailure: false, warnings: [], reason: `${reason}${after}` };
}
