import type { BreakerAcquireResult, BreakerEvent, BreakerOutcome, BreakerPolicy, BreakerRecordResult, BreakerView } from '../breaker/types';
import { StoreSwitch } from './store-switch';
import type { BreakerStore } from './types';

export type { FallbackOptions } from './store-switch';

/**
 * "Fall back to embedded state and warn": the primary (Redis) answers while reachable; when it is not,
 * the fallback does, and `lastKind` says which store answered the latest call.
 */
export class FallbackBreakerStore extends StoreSwitch<BreakerStore> implements BreakerStore {
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
