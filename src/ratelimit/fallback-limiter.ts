import type { Clock } from '../types';
import { isStoreUnavailableError } from '../store/errors';
import type { StoreKind } from '../store/types';
import type { AcquireRequest, BucketSpec, LimiterDecision, LimiterStore, LimiterView, RateObservation, RetryBudgetDecision, RetryBudgetPolicy } from './types';

export interface FallbackLimiterOptions {
	clock?: Clock;
	/** After a failure, go straight to the fallback for this long instead of paying a timeout per item. */
	retryPrimaryAfterMs?: number;
	/** Called on every call answered by the fallback, so the node can warn and mark its output. */
	onFallback?: (error: unknown) => void;
}

/**
 * "Fall back to embedded limits and warn": Redis answers while reachable; when not, this process's buckets do
 * (each worker then limits only itself, so the node must say so), and `lastKind` tells which store answered.
 */
export class FallbackLimiterStore implements LimiterStore {
	readonly kind: StoreKind;
	lastKind: StoreKind;
	fallbackCalls = 0;
	private skipUntil = 0;
	private readonly clock: Clock;
	private readonly retryAfter: number;

	constructor(
		private readonly primary: LimiterStore,
		private readonly fallback: LimiterStore,
		private readonly o: FallbackLimiterOptions = {},
	) {
		this.kind = primary.kind;
		this.lastKind = primary.kind;
		this.clock = o.clock ?? { now: () => Date.now() };
		this.retryAfter = o.retryPrimaryAfterMs ?? 5000;
	}

	private async use<T>(call: (s: LimiterStore) => Promise<T>): Promise<T> {
		if (this.clock.now() >= this.skipUntil) {
			try {
				const r = await call(this.primary);
				this.lastKind = this.primary.kind;
				return r;
			} catch (e) {
				if (!isStoreUnavailableError(e)) return Promise.reject(e);
				this.skipUntil = this.clock.now() + this.retryAfter;
				this.o.onFallback?.(e);
			}
		} else this.o.onFallback?.(undefined);
		this.fallbackCalls++;
		this.lastKind = this.fallback.kind;
		return call(this.fallback);
	}

	acquire(key: string, req: AcquireRequest): Promise<LimiterDecision> {
		return this.use((s) => s.acquire(key, req));
	}
	adapt(key: string, spec: BucketSpec, obs: RateObservation): Promise<LimiterView> {
		return this.use((s) => s.adapt(key, spec, obs));
	}
	getState(key: string, spec: BucketSpec): Promise<LimiterView> {
		return this.use((s) => s.getState(key, spec));
	}
	reset(key: string): Promise<void> {
		return this.use((s) => s.reset(key));
	}
	retryBudget(key: string, kind: 'request' | 'retry', policy: RetryBudgetPolicy): Promise<RetryBudgetDecision> {
		return this.use((s) => s.retryBudget(key, kind, policy));
	}
}
