// Builds the rate limiter's store from node parameters and the Resilience Redis credential (embedded, Redis, or Redis
// with fallback), with the same settings and messages as the breaker's and the ledger's stores.
import type { IExecuteFunctions } from 'n8n-workflow';

import { EmbeddedLimiterStore, FallbackLimiterStore, RedisLimiterStore, type LimiterStore } from '../../src/ratelimit';
import { sharedRedisClient } from '../../src/store';
import { redisConnectionOf, redisState } from './redisState';
import { namespaceOf, type StoreInfo, type StoreSettings } from './stores';
import { messageOf } from './errors';

export interface BuiltLimiterStore {
	store: LimiterStore;
	info(): StoreInfo;
	explain(e: unknown): string;
}


export async function buildLimiterStore(ctx: IExecuteFunctions, s: StoreSettings): Promise<BuiltLimiterStore> {
	const workflowId = ctx.getWorkflow().id;
	const namespace = namespaceOf(s, workflowId === undefined ? undefined : String(workflowId));
	// Buckets live in this process (shared by its executions); a new process starts with full buckets.
	const embedded = new EmbeddedLimiterStore({ namespace });
	if (s.backend === 'embedded') return { store: embedded, info: () => ({ backend: 'embedded', namespace }), explain: messageOf };

	const conn = await redisConnectionOf((type) => ctx.getCredentials(type));
	const redis = new RedisLimiterStore(sharedRedisClient(conn), { prefix: conn.keyPrefix, namespace });
	const r = redisState<LimiterStore>({
		settings: s,
		namespace,
		conn,
		what: 'Rate-limit state',
		redis,
		withFallback: (onFallback) => new FallbackLimiterStore(redis, embedded, { onFallback }),
		fallbackCost: 'so other workers\' requests were not counted',
	});
	return { store: r.store, info: r.info, explain: r.explain };
}
