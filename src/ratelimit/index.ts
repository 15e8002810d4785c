// Public API of the rate limiter; src/index.ts re-exports it.
export type * from './types';
export { DEFAULT_DAILY_RESERVE, WINDOW_SAFETY, DAILY_RECHECK_MS, type LimiterRecord } from './bucket';
export * as bucketAlgorithm from './bucket';
export { DEFAULT_RETRY_BUDGET, resolveRetryBudget, spendRetryBudget } from './retry-budget';
export { validateAcquire } from './validate';
export { EmbeddedLimiterStore, type EmbeddedLimiterStoreOptions } from './embedded-limiter';
export { RedisLimiterStore, type RedisLimiterStoreOptions } from './redis-limiter';
export { readRateHeaders, guessResetMs, type ReadRateHeadersOptions } from './headers';
export { parseIetfRateLimit } from './ietf';
export { RATE_LIMITS, limitsFor, endpointClassFor, type PresetLimits, type EndpointClass } from './limits';
export { RateLimiter, type RateLimiterOptions, type BucketChoice } from './rate-limiter';
export { FallbackLimiterStore, type FallbackLimiterOptions } from './fallback-limiter';
export { rateLimitTableMarkdown } from './limits-table';
export { limiterGate, type LimiterGate, type LimiterGateOptions, type LimiterGateReport, type LimiterStopReason, type GateLimiter } from './gate';
