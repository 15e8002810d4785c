// Reads the remaining rate budget from response headers; missing headers mean "unknown", never "zero left".
import type { RateBudget } from '../types';

/** Share of the budget used at which non-critical traffic should wait (platform-facts §5.2: stop non-critical at 95 %). */
export const NON_CRITICAL_SHARE = 0.95;

function num(v: string | undefined): number | undefined {
	if (v === undefined) return undefined;
	const n = Number(v.trim());
	return Number.isFinite(n) ? n : undefined;
}

function fromUsed(used: number, limit: number, source: string): RateBudget {
	const remaining = Math.max(0, limit - used);
	return { known: true, used, limit, remaining, source, pause: limit > 0 && remaining <= 0, pauseNonCritical: limit > 0 && used / limit >= NON_CRITICAL_SHARE };
}

const PAIRS: Array<[limit: string, remaining: string]> = [
	['x-hubspot-ratelimit-daily', 'x-hubspot-ratelimit-daily-remaining'],
	['x-hubspot-ratelimit-max', 'x-hubspot-ratelimit-remaining'],
	['x-ratelimit-limit', 'x-ratelimit-remaining'],
	['ratelimit-limit', 'ratelimit-remaining'],
	['x-rate-limit', 'x-rate-limit-remaining'],
	['x-ratelimit-limit-requests', 'x-ratelimit-remaining-requests'],
	['anthropic-ratelimit-requests-limit', 'anthropic-ratelimit-requests-remaining'],
];

export function readBudget(headers: Record<string, string>): RateBudget {
	const sf = headers['sforce-limit-info'];
	const m = sf ? /api-usage=(\d+)\/(\d+)/.exec(sf) : null;
	if (m) return fromUsed(Number(m[1]), Number(m[2]), 'sforce-limit-info');
	for (const [l, r] of PAIRS) {
		const limit = num(headers[l]);
		const remaining = num(headers[r]);
		// Azure OpenAI has sent -1/0 placeholders: only a positive limit is a real budget.
		if (limit !== undefined && remaining !== undefined && limit > 0 && remaining >= 0) return fromUsed(limit - remaining, limit, l);
	}
	return { known: false, pause: false, pauseNonCritical: false };
}
