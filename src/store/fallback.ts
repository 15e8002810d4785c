import type { BreakerAcquireResult, BreakerEvent, BreakerOutcome, BreakerPolicy, BreakerRecordResult, BreakerView } from '../breaker/types';
import type { Clock } from '../types';
import { isStoreUnavailableError } from './errors';
import type { BreakerStore, StoreKind } from './types';

export interface FallbackOptions {
	clock?: Clock;
	/** After a failure, go straight to the fallback for this long instead of paying a timeout per item. */
	retryPrimaryAfterMs?: number;
	/** Called on every call answered by the fallback, so the node can warn and mark its output. */
	onFallback?: (error: unknown) => void;
}

/**
 * "Fall back to embedded state and warn": the primary (Redis) answers while reachable; when it is not,
 * the fallback does, and `lastKind` says which store answered the latest call.
 */
export class FallbackBreakerStore implements BreakerStore {
	readonly kind: StoreKind;
	lastKind: StoreKind;
	fallbackCalls = 0;
	private skipUntil = 0;
	private readonly clock: Clock;
	private readonly retryAfter: number;

	constructor(
		private readonly primary: BreakerStore,
		private readonly fallback: BreakerStore,
		private readonly o: FallbackOptions = {},
	) {
		this.kind = primary.kind;
		this.lastKind = primary.kind;
		this.clock = o.clock ?? { now: () => Date.now() };
		this.retryAfter = o.retryPrimaryAfterMs ?? 5000;
	}

	private async use<T>(call: (s: BreakerStore) => Promise<T>): Promise<T> {
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

	acquire(key: string, p: BreakerPolicy): Promise<BreakerAcquireResult> {
		return this.use((s) => s.acquire(key, p));
	}
	record(key: string, o: BreakerOutcome, p: BreakerPolicy): Promise<BreakerRecordResult> {
		return this.use((s) => s.record(key, o, p));
	}
	getState(key: string, p: BreakerPolicy): Promise<BreakerView> {
		return this.use((s) => s.getState(key, p));
	}
	reset(key: string, p: BreakerPolicy): Promise<BreakerView> {
		return this.use((s) => s.reset(key, p));
	}
	forceOpen(key: string, p: BreakerPolicy, durationMs?: number): Promise<BreakerView> {
		return this.use((s) => s.forceOpen(key, p, durationMs));
	}
	list(p: BreakerPolicy, limit?: number): Promise<BreakerView[]> {
		return this.use((s) => s.list(p, limit));
	}
	events(key: string, limit?: number): Promise<BreakerEvent[]> {
		return this.use((s) => s.events(key, limit));
	}
}
