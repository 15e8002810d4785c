import type { Verdict } from '../types';
import type { BreakerOutcome } from './types';

/**
 * A classified attempt as the breaker sees it: only breaker failures (transient 5xx, network) count against
 * it; throttling and quota (429, quota-wait), auth refreshes and 423 waits say nothing about health.
 */
export function breakerOutcomeFromVerdict(v: Verdict, durationMs?: number): BreakerOutcome {
	const o: BreakerOutcome = { kind: 'success' };
	if (durationMs !== undefined) o.durationMs = durationMs;
	if (v.breakerFailure) {
		o.kind = 'failure';
		if (v.serverWaitMs !== undefined) o.retryAfterMs = v.serverWaitMs;
	} else if (v.class === 'quota-wait' || v.class === 'refresh-auth' || v.class === 'transient') {
		o.kind = 'ignored';
	}
	return o;
}

/** For "record result" on any node's item: an HTTP status and/or an error code, as far as the item tells. */
export function breakerOutcomeFromResult(r: { status?: number; errorCode?: string; durationMs?: number; retryAfterMs?: number }): BreakerOutcome {
	const o: BreakerOutcome = { kind: 'success' };
	if (r.durationMs !== undefined) o.durationMs = r.durationMs;
	const serverDown = r.status !== undefined && r.status >= 500 && r.status !== 501 && r.status !== 505;
	if (serverDown || (r.status === undefined && r.errorCode)) {
		o.kind = 'failure';
		if (r.retryAfterMs !== undefined) o.retryAfterMs = r.retryAfterMs;
	} else if (r.status === 429) {
		o.kind = 'ignored';
	}
	return o;
}

/** Drops what would make the two stores disagree (null, '', NaN, unknown kinds) before an outcome is applied. */
export function normalizeOutcome(o: BreakerOutcome): BreakerOutcome {
	const kind = o?.kind === 'failure' || o?.kind === 'ignored' ? o.kind : o?.kind === 'success' ? 'success' : undefined;
	if (!kind) throw new Error(`Unknown breaker outcome "${String(o?.kind)}": use success, failure or ignored`);
	const n: BreakerOutcome = { kind };
	if (typeof o.durationMs === 'number' && Number.isFinite(o.durationMs) && o.durationMs >= 0) n.durationMs = o.durationMs;
	if (typeof o.leaseId === 'string' && o.leaseId !== '') n.leaseId = o.leaseId;
	if (typeof o.retryAfterMs === 'number' && Number.isFinite(o.retryAfterMs) && o.retryAfterMs > 0) n.retryAfterMs = o.retryAfterMs;
	return n;
}
