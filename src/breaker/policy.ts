import type { BreakerPolicy } from './types';

/** 50% of the last 20 calls (at least 10, within 60 s), or 5 failures in a row; open 30 s; one probe. */
export const DEFAULT_BREAKER_POLICY: Readonly<BreakerPolicy> = Object.freeze({
	failureRateThreshold: 0.5,
	minimumCalls: 10,
	windowType: 'count',
	windowSize: 20,
	rollingWindowMs: 60_000,
	consecutiveFailures: 0,
	slowCallDurationMs: 0,
	slowCallRateThreshold: 0,
	resetTimeoutMs: 30_000,
	openBackoffFactor: 1,
	maxOpenMs: 600_000,
	respectRetryAfter: true,
	halfOpenMaxProbes: 1,
	probeLeaseMs: 30_000,
	eventsCap: 50,
});

/** Policy input as users and scenario files write it: `halfOpenAfterMs` is an alias of `resetTimeoutMs`. */
export type BreakerPolicyInput = Partial<BreakerPolicy> & { halfOpenAfterMs?: number };

/**
 * Defaults merged with the input. The scenario "consecutive form" ({consecutiveFailures, halfOpenAfterMs}
 * without a rate threshold) means a consecutive-only breaker, so the rate trip is then off.
 */
export function resolveBreakerPolicy(input: BreakerPolicyInput = {}): BreakerPolicy {
	const { halfOpenAfterMs, ...rest } = input;
	const defined = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as Partial<BreakerPolicy>;
	const p: BreakerPolicy = { ...DEFAULT_BREAKER_POLICY, ...defined };
	if (halfOpenAfterMs !== undefined && rest.resetTimeoutMs === undefined) p.resetTimeoutMs = halfOpenAfterMs;
	if (rest.consecutiveFailures && rest.failureRateThreshold === undefined) p.failureRateThreshold = 0;
	validateBreakerPolicy(p);
	return p;
}

function check(cond: boolean, what: string): void {
	if (!cond) throw new Error(`Invalid circuit breaker setting: ${what}`);
}

export function validateBreakerPolicy(p: BreakerPolicy): void {
	const int = (n: number) => Number.isInteger(n) && n >= 0;
	check(p.failureRateThreshold >= 0 && p.failureRateThreshold <= 1, 'failureRateThreshold must be between 0 and 1');
	check(p.slowCallRateThreshold >= 0 && p.slowCallRateThreshold <= 1, 'slowCallRateThreshold must be between 0 and 1');
	check(int(p.minimumCalls) && p.minimumCalls >= 1, 'minimumCalls must be a whole number ≥ 1');
	check(p.windowType === 'count' || p.windowType === 'time', 'windowType must be "count" or "time"');
	check(int(p.windowSize) && p.windowSize >= 1 && p.windowSize <= 1000, 'windowSize must be a whole number from 1 to 1000');
	check(int(p.rollingWindowMs), 'rollingWindowMs must be a whole number of ms ≥ 0');
	check(p.windowType === 'count' || p.rollingWindowMs >= 1, 'a time window needs rollingWindowMs ≥ 1');
	check(int(p.consecutiveFailures), 'consecutiveFailures must be a whole number ≥ 0');
	check(p.failureRateThreshold > 0 || p.consecutiveFailures > 0 || p.slowCallRateThreshold > 0, 'at least one trip condition must be on');
	check(int(p.slowCallDurationMs), 'slowCallDurationMs must be a whole number of ms ≥ 0');
	check(int(p.resetTimeoutMs) && p.resetTimeoutMs >= 1, 'resetTimeoutMs must be a whole number of ms ≥ 1');
	check(p.openBackoffFactor >= 1, 'openBackoffFactor must be ≥ 1');
	check(int(p.maxOpenMs) && p.maxOpenMs >= p.resetTimeoutMs, 'maxOpenMs must be ≥ resetTimeoutMs');
	check(int(p.halfOpenMaxProbes) && p.halfOpenMaxProbes >= 1, 'halfOpenMaxProbes must be a whole number ≥ 1');
	check(int(p.probeLeaseMs) && p.probeLeaseMs >= 1, 'probeLeaseMs must be a whole number of ms ≥ 1');
	check(int(p.eventsCap) && p.eventsCap <= 1000, 'eventsCap must be a whole number from 0 to 1000');
}
