import type { Clock } from '../types';
import { processEmbeddedCache, type EmbeddedCache } from '../store/embedded/cache';
import { GLOBAL_NAMESPACE } from '../store/keys';
import * as b from './bucket';
import { spendRetryBudget, type RetryBudgetRecord } from './retry-budget';
import type { AcquireRequest, BucketSpec, LimiterDecision, LimiterStore, LimiterView, RateObservation, RetryBudgetDecision, RetryBudgetPolicy } from './types';
import { validateAcquire } from './validate';

export interface EmbeddedLimiterStoreOptions {
	namespace?: string;
	clock?: Clock;
	/** Defaults to the process-wide cache shared with the breakers. */
	cache?: EmbeddedCache;
}

/** Buckets in this process's memory; every method runs synchronously, so each intent is atomic. */
export class EmbeddedLimiterStore implements LimiterStore {
	readonly kind = 'embedded' as const;
	private readonly cache: EmbeddedCache;
	private readonly clock: Clock;
	private readonly prefix: string;

	constructor(o: EmbeddedLimiterStoreOptions = {}) {
		this.cache = o.cache ?? processEmbeddedCache('limiter');
		this.clock = o.clock ?? { now: () => Date.now() };
		this.prefix = `limiter\u0000${o.namespace ?? GLOBAL_NAMESPACE}\u0000`;
	}

	private record(key: string, spec: BucketSpec, now: number): b.LimiterRecord {
		let r = this.cache.get(this.prefix + key) as b.LimiterRecord | undefined;
		if (!r) {
			r = b.freshRecord(spec, now);
			this.cache.set(this.prefix + key, r);
		}
		return r;
	}

	async acquire(key: string, req: AcquireRequest): Promise<LimiterDecision> {
		validateAcquire(req);
		const now = this.clock.now();
		return b.acquire(this.record(key, req, now), req, now);
	}

	async adapt(key: string, spec: BucketSpec, obs: RateObservation): Promise<LimiterView> {
		validateAcquire(spec);
		const now = this.clock.now();
		const r = this.record(key, spec, now);
		b.adapt(r, spec, obs, now);
		return b.viewOf(key, r, spec, now);
	}

	async getState(key: string, spec: BucketSpec): Promise<LimiterView> {
		const now = this.clock.now();
		const r = this.cache.get(this.prefix + key) as b.LimiterRecord | undefined;
		return b.viewOf(key, r ? structuredClone(r) : b.freshRecord(spec, now), spec, now);
	}

	async reset(key: string): Promise<void> {
		this.cache.delete(this.prefix + key);
		this.cache.delete(`${this.prefix}${key}\u0000retry`);
	}

	async retryBudget(key: string, kind: 'request' | 'retry', policy: RetryBudgetPolicy): Promise<RetryBudgetDecision> {
		const k = `${this.prefix}${key}\u0000retry`;
		let r = this.cache.get(k) as RetryBudgetRecord | undefined;
		if (!r) {
			r = { b: [] };
			this.cache.set(k, r);
		}
		return spendRetryBudget(r, kind, policy, this.clock.now());
	}
}
