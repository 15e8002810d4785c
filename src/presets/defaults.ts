// The policy every preset starts from (scenarios README §1 "Default client policy").
import type { RetryPolicy } from '../types';

export const DEFAULT_POLICY: RetryPolicy = {
	maxAttempts: 4,
	baseDelayMs: 1000,
	factor: 2,
	maxDelayMs: 30_000,
	maxRetryWindowMs: 120_000,
	maxServerWaitMs: 60_000,
	jitter: 'full',
	retryNonIdempotent: false,
	retryServerErrors: true,
	timeoutMs: 30_000,
};
