import { StoreSwitch, type FallbackOptions } from '../store/store-switch';
import type { AcquireRequest, BucketSpec, LimiterDecision, LimiterStore, LimiterView, RateObservation, RetryBudgetDecision, RetryBudgetPolicy } from './types';

/**
 * "Fall back to embedded limits and warn": Redis answers while reachable; when not, this process's buckets do
 * (each worker then limits only itself, so the node must say so), and `lastKind` tells which store answered.
 */
export class FallbackLimiterStore extends StoreSwitch<LimiterStore> implements LimiterStore {
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

export type FallbackLimiterOptions = FallbackOptions;
