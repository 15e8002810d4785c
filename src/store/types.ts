// One interface per concern, each method one atomic intent: no caller ever reads, decides and writes back.
// Later concerns follow the same shape: LimiterStore.acquire, IdempotencyStore.claim/complete/release,
// DeadLetterStore.push, each evaluated in one step (a Lua script on Redis, one synchronous call embedded).
import type {
	BreakerAcquireResult,
	BreakerEvent,
	BreakerOutcome,
	BreakerPolicy,
	BreakerRecordResult,
	BreakerView,
} from '../breaker/types';

export type StoreKind = 'embedded' | 'redis';

/** Where a store's keys live: `prefix` per installation, `namespace` per workflow (default) or "global". */
export interface KeySpace {
	prefix: string;
	namespace: string;
}

/** The policy travels with every call so a node's current settings apply; the store keeps only state. */
export interface BreakerStore {
	readonly kind: StoreKind;
	/** Asks to make one call: closed → allowed; open → rejected with retryAt; half-open → a probe lease or rejected. */
	acquire(key: string, policy: BreakerPolicy): Promise<BreakerAcquireResult>;
	/** Reports a finished call; may trip, close or re-open the breaker. */
	record(key: string, outcome: BreakerOutcome, policy: BreakerPolicy): Promise<BreakerRecordResult>;
	/** The effective state now (read-only). */
	getState(key: string, policy: BreakerPolicy): Promise<BreakerView>;
	/** Back to closed with an empty window. */
	reset(key: string, policy: BreakerPolicy): Promise<BreakerView>;
	/** Open by hand: for `durationMs`, or until reset when omitted. */
	forceOpen(key: string, policy: BreakerPolicy, durationMs?: number): Promise<BreakerView>;
	/** Every breaker of this namespace that holds state (for monitoring), at most `limit`. */
	list(policy: BreakerPolicy, limit?: number): Promise<BreakerView[]>;
	/** Recorded transitions, newest first. */
	events(key: string, limit?: number): Promise<BreakerEvent[]>;
}
