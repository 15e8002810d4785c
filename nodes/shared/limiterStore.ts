// Builds the rate limiter's store from node parameters and the Resilience Redis credential (embedded, Redis, or Redis
// with fallback), with the same settings and messages as the breaker's and the ledger's stores.
import type { IExecuteFunctions } from 'n8n-workflow';

import { EmbeddedLimiterStore, FallbackLimiterStore, RedisLimiterStore, type LimiterStore } from '../../src/ratelimit';
import { isStoreUnavailableError, sharedRedisClient } from '../../src/store';
import { ConfigError } from './configError';
import { REDIS_CREDENTIAL, namespaceOf, redisConnectionFrom, type StoreInfo, type StoreSettings } from './stores';

export interface BuiltLimiterStore {
	store: LimiterStore;
	info(): StoreInfo;
	explain(e: unknown): string;
}

const plain = (e: unknown) => (e instanceof Error ? e.message : String(e));

export async function buildLimiterStore(ctx: IExecuteFunctions, s: StoreSettings): Promise<BuiltLimiterStore> {
	const workflowId = ctx.getWorkflow().id;
	const namespace = namespaceOf(s, workflowId === undefined ? undefined : String(workflowId));
	// Buckets live in this process (shared by its executions); a new process starts with full buckets.
	const embedded = new EmbeddedLimiterStore({ namespace });
	if (s.backend === 'embedded') return { store: embedded, info: () => ({ backend: 'embedded', namespace }), explain: plain };

	let conn: ReturnType<typeof redisConnectionFrom>;
	try {
		conn = redisConnectionFrom(await ctx.getCredentials(REDIS_CREDENTIAL));
	} catch (e) {
		throw e instanceof ConfigError ? e : new ConfigError('credentials', `Resilience Redis credential: ${plain(e)}`);
	}
	const where = `${conn.host}:${conn.port}`;
	const redis = new RedisLimiterStore(sharedRedisClient(conn), { prefix: conn.keyPrefix, namespace });
	const explain = (e: unknown) =>
		isStoreUnavailableError(e)
			? `Rate-limit state in Redis (${where}) is unreachable: ${e.message.replace(/^Redis is unreachable: /, '')}. Set "On Store Unreachable" to "Fall Back to Embedded State and Warn" to keep running without Redis.`
			: plain(e);
	if (s.onUnreachable === 'fail') return { store: redis, info: () => ({ backend: 'redis', namespace, onUnreachable: 'fail' }), explain };
	let fellBack = false;
	let lastError = '';
	const store = new FallbackLimiterStore(redis, embedded, {
		onFallback: (e) => {
			fellBack = true;
			if (e) lastError = plain(e);
		},
	});
	return {
		store,
		info: () => {
			const i: StoreInfo = { backend: 'redis', namespace, onUnreachable: 'fallback', fellBack };
			if (fellBack) i.warning = `Redis (${where}) was unreachable${lastError ? ` (${lastError})` : ''}: this run paced requests with embedded state in this process, so other workers' requests were not counted`;
			return i;
		},
		explain,
	};
}
