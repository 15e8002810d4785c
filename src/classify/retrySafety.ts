// When repeating a request cannot create a second side effect, and when a failure proves nothing was applied.
import type { AttemptResult, IdempotentRoute, RequestFacts, RetryPolicy } from '../types';
import { cachedRegex, pathOf } from './matchRule';

export const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

export function isSafeToRepeat(request: RequestFacts, routes: IdempotentRoute[] = []): boolean {
	const method = request.method.toUpperCase();
	if (IDEMPOTENT_METHODS.has(method)) return true;
	if ((request.idempotencyKey && request.keyHonoured !== false) || request.declaredIdempotent) return true;
	const path = pathOf(request.url);
	return routes.some((r) => r.method.toUpperCase() === method && (!r.pathRegex || cachedRegex(r.pathRegex).test(path)));
}

/** 429, 423, 503 and failures before sending prove the server did not apply the request. */
export function provesNotProcessed(result: AttemptResult): boolean {
	if (result.kind === 'network') return result.error.requestSent === false;
	return [429, 423, 503].includes(result.response.status);
}

/** A transient failure of this request may be retried without risking a duplicate side effect. */
export function mayRetry(request: RequestFacts, result: AttemptResult, policy: RetryPolicy, routes?: IdempotentRoute[], ruleSaysNotProcessed = false): boolean {
	return policy.retryNonIdempotent || isSafeToRepeat(request, routes) || ruleSaysNotProcessed || provesNotProcessed(result);
}
