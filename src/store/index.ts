// Public API of the state layer; src/index.ts re-exports it.
export type { BreakerStore, KeySpace, StoreKind } from './types';
export { StoreUnavailableError, isStoreUnavailableError, toRedisStoreError } from './errors';
export { DEFAULT_KEY_PREFIX, GLOBAL_NAMESPACE, entityKey, namespaceFor, validateKeySpace } from './keys';
export { createEmbeddedCache, processEmbeddedCache, DEFAULT_EMBEDDED_MAX_ENTRIES, type EmbeddedCache } from './embedded/cache';
export { EmbeddedBreakerStore, type BreakerSnapshot, type EmbeddedBreakerStoreOptions } from './embedded/breaker-store';
export { RedisBreakerStore, type RedisBreakerStoreOptions } from './redis/breaker-store';
export {
	closeSharedRedisClients,
	createRedisClient,
	redisOptions,
	sharedRedisClient,
	testRedisConnection,
	type RedisConnectionOptions,
} from './redis/connection';
export { FallbackBreakerStore, type FallbackOptions } from './fallback';
