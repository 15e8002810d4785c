// SRE retry budget as a pure function on ten time buckets; scripts/retry-budget.lua.ts mirrors it.
import type { RetryBudgetDecision, RetryBudgetPolicy } from './types';

/** Google SRE book, "Handling Overload": a retry budget of 10 % of requests per client. */
export const DEFAULT_RETRY_BUDGET: RetryBudgetPolicy = { ratio: 0.1, windowMs: 60_000, minRetries: 3 };

/** [bucketStart, firstAttempts, retries] */
export type RetryBudgetRecord = { b: Array<[number, number, number]> };

export function resolveRetryBudget(o: Partial<RetryBudgetPolicy> = {}): RetryBudgetPolicy {
	const p = { ...DEFAULT_RETRY_BUDGET, ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) };
	if (!(p.ratio >= 0 && p.ratio <= 1)) throw new Error('Retry budget ratio must be between 0 and 1');
	if (!(p.windowMs >= 1000)) throw new Error('Retry budget window must be at least 1000 ms');
	if (!(Number.isInteger(p.minRetries) && p.minRetries >= 0)) throw new Error('Retry budget minRetries must be a whole number ≥ 0');
	return p;
}

export function spendRetryBudget(r: RetryBudgetRecord, kind: 'request' | 'retry', p: RetryBudgetPolicy, now: number): RetryBudgetDecision {
	const size = Math.max(1, Math.ceil(p.windowMs / 10));
	const start = Math.floor(now / size) * size;
	// A bucket counts while its start lies within the last windowMs.
	r.b = r.b.filter((x) => x[0] > now - p.windowMs);
	let requests = 0;
	let retries = 0;
	for (const x of r.b) {
		requests += x[1];
		retries += x[2];
	}
	const allowance = Math.max(p.minRetries, Math.floor(requests * p.ratio + 1e-9));
	const allowed = kind === 'request' || retries < allowance;
	if (allowed) {
		let last = r.b[r.b.length - 1];
		if (!last || last[0] !== start) {
			last = [start, 0, 0];
			r.b.push(last);
		}
		if (kind === 'request') {
			last[1]++;
			requests++;
		} else {
			last[2]++;
			retries++;
		}
	}
	return { allowed, requests, retries, allowance: Math.max(p.minRetries, Math.floor(requests * p.ratio + 1e-9)), now };
}
