// Which flows need capabilities of later issues, decided from what the flow file asks for.
import type { Flow } from './flow-types';

/** The reason a flow cannot run on the issue-2 engine, or undefined when it must pass now. */
export function pendingReason(flow: Flow): string | undefined {
	const needs: string[] = [];
	const p = flow.policy ?? {};
	if (p.breaker || Object.values(flow.expect.phases ?? {}).some((ph) => ph && typeof ph === 'object' && 'breakerAfter' in ph))
		needs.push('circuit breaker (issue 3)');
	if (flow.deliveries?.length) needs.push('webhook delivery dedupe (issue 4)');
	if (flow.steps.some((s) => s.idempotencyKey === 'derived')) needs.push('derived idempotency keys (issue 4)');
	if (flow.steps.some((s) => s.forEach || s.dedupeKey)) needs.push('forEach dedupe state across runs (issue 4)');
	if (flow.expect.finalState) needs.push('client state stores (issue 4)');
	const deadLetterDetail = /dead-letter entry holding|holding evt_/i.test(flow.expect.notes ?? '');
	if (deadLetterDetail && flow.deliveries?.length) needs.push('dead-letter store (issue 5)');
	// The limiter exists (src/ratelimit, Resilient HTTP); the generic player does not drive it, and no flow asks for it yet.
	if (p.rateLimit || p.requestsPerSecond) needs.push('the rate limiter wired into the scenario player');
	return needs.length ? `needs ${[...new Set(needs)].join(', ')}` : undefined;
}
