import type { AcquireRequest } from './types';

/** Refuses specs that cannot work (a cost the bucket can never hold, negative rates) before any state changes. */
export function validateAcquire(q: AcquireRequest): void {
	const problems: string[] = [];
	if (!(typeof q.ratePerSec === 'number' && q.ratePerSec >= 0 && Number.isFinite(q.ratePerSec))) problems.push('ratePerSec must be a number ≥ 0 (0 = no local cap)');
	if (!(typeof q.burst === 'number' && q.burst >= 1 && Number.isFinite(q.burst))) problems.push('burst must be a number ≥ 1');
	const cost = q.cost ?? 1;
	if (!(cost > 0 && Number.isFinite(cost))) problems.push('cost must be a number > 0');
	else if (cost > q.burst) problems.push(`cost ${cost} exceeds the burst ${q.burst}: it could never be granted`);
	if (q.maxWaitMs !== undefined && !(q.maxWaitMs >= 0)) problems.push('maxWaitMs must be ≥ 0');
	if (q.dailyReserveShare !== undefined && !(q.dailyReserveShare >= 0 && q.dailyReserveShare < 1)) problems.push('dailyReserveShare must be in [0, 1)');
	if (problems.length > 0) throw new Error(`Invalid rate limit: ${problems.join('; ')}`);
}
