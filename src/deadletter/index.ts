// Public API of the dead-letter engine; src/index.ts re-exports it.
export * from './types';
export { DeadLetterCapacityError, isDeadLetterCapacityError } from './errors';
export { buildDeadLetter, validateDraft, type DeadLetterContext, type FailureReportLike } from './builder';
export { MAX_ATTEMPTS_KEPT, MAX_EXCERPT_CHARS, sanitizeDraft, scrubDeep, scrubText, type ScrubOptions } from './redaction';
export { StaticDataDeadLetterStore, STATIC_DATA_KEY, STATIC_DATA_LIMITS, type DeadLetterSnapshot, type StaticDataStoreOptions } from './static-data-store';
export { RedisDeadLetterStore, REDIS_DEFAULT_MAX_PER_QUEUE, type RedisDeadLetterStoreOptions } from './redis-store';
export { PostgresDeadLetterStore, POSTGRES_DEFAULT_MAX_PER_QUEUE, type PostgresDeadLetterStoreOptions } from './postgres/postgres-store';
export {
	closeSharedPostgresPools,
	createPostgresPool,
	postgresPoolConfig,
	sharedPostgresPool,
	testPostgresConnection,
	validateSchema,
	DEFAULT_SCHEMA,
	type PostgresConnectionOptions,
} from './postgres/connection';
export { MIGRATIONS, migrate } from './postgres/migrations';
export { postgresConnectionFrom, testResiliencePostgresCredential } from './postgres/credential';
export { FallbackDeadLetterStore, type FallbackDeadLetterOptions } from './fallback-store';
export { DEAD_LETTER_LINK_KEY, RESENDABLE_CLASSES, replayItemJson, replayLinkOf, type DeadLetterLink } from './replay';
export { DEFAULT_DEPTH_THRESHOLDS, depthCrossings, levelOf, type AlertLevel, type DepthCrossing, type DepthThresholds } from './alerts';
export { DEFAULT_POLL_LOOKBACK_MS, pollNewEntries, type PollOptions, type PollState } from './poll';
