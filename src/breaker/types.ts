// Breaker vocabulary shared by the engine, both stores and the Lua scripts (which mirror transitions.ts).

export type BreakerState = 'closed' | 'open' | 'half-open';

/** How a breaker trips, how long it stays open and how it probes. Plain data: it travels to Lua as JSON. */
export interface BreakerPolicy {
	/** Share of failures (0..1) in the window that trips the breaker; 0 turns the rate trip off. */
	failureRateThreshold: number;
	/** Fewest calls in the window before a rate (failure or slow) can trip it. */
	minimumCalls: number;
	/**
	 * count: the last `windowSize` calls (no older than `rollingWindowMs` when > 0); time: every call of the
	 * last `rollingWindowMs`, kept in 10 buckets so memory stays flat (calls age out one bucket at a time).
	 */
	windowType: 'count' | 'time';
	windowSize: number;
	rollingWindowMs: number;
	/** Trip after this many failures in a row; 0 turns it off. */
	consecutiveFailures: number;
	/** A call at least this long is slow; 0 turns slow-call tracking off. */
	slowCallDurationMs: number;
	/** Share of slow calls (0..1) that trips the breaker; 0 turns it off. */
	slowCallRateThreshold: number;
	/** How long the breaker stays open before it lets probes through. */
	resetTimeoutMs: number;
	/** Open duration multiplier on each trip without a close in between (1 = constant). */
	openBackoffFactor: number;
	/** Cap on the open duration, also for a server Retry-After. */
	maxOpenMs: number;
	/** Whether a Retry-After on the failure that trips the breaker sets the open duration. */
	respectRetryAfter: boolean;
	/** Probe calls let through in half-open across all workers; that many successes close it. */
	halfOpenMaxProbes: number;
	/** A probe that reports nothing within this time (crashed worker) frees its slot. */
	probeLeaseMs: number;
	/** Transition events kept per breaker. */
	eventsCap: number;
}

/** What a finished call means for the breaker. `ignored` (429, quota-wait, cancelled) frees a probe slot and counts nowhere. */
export interface BreakerOutcome {
	kind: 'success' | 'failure' | 'ignored';
	durationMs?: number;
	/** The lease id from acquire when this call was a half-open probe. */
	leaseId?: string;
	/** A server-given wait (Retry-After on 503), ms from now. */
	retryAfterMs?: number;
}

export interface BreakerEvent {
	at: number;
	from: BreakerState;
	to: BreakerState;
	reason: string;
}

/** The effective state as of `now` (open past its timer reads half-open). */
export interface BreakerView {
	key: string;
	state: BreakerState;
	/** When the current state began. */
	since: number;
	/** While open: when it half-opens (absent when forced open without end). */
	openUntil?: number;
	forced: boolean;
	/** Trips since the last close (drives open-duration growth). */
	trips: number;
	consecutiveFailures: number;
	calls: number;
	failures: number;
	slowCalls: number;
	probesInFlight: number;
	probeSuccesses: number;
	now: number;
}

export type BreakerAcquireResult =
	| { allowed: true; probe: boolean; leaseId?: string; view: BreakerView }
	| { allowed: false; retryAt?: number; view: BreakerView };

export interface BreakerRecordResult {
	/** false when the outcome was not counted (ignored kind, late outcome while open, unknown probe). */
	counted: boolean;
	transition?: BreakerEvent;
	view: BreakerView;
}

/** The stored form of one breaker; embedded snapshots hold these, Redis keeps the same JSON. */
export interface BreakerRecord {
	state: BreakerState;
	since: number;
	openUntil: number;
	forced: boolean;
	trips: number;
	consecutive: number;
	/** Count window: [time, flags] with flag bit 1 = failure, bit 2 = slow. */
	calls: Array<[number, number]>;
	/** Time window: [bucketStart, calls, failures, slow]. */
	buckets: Array<[number, number, number, number]>;
	/** Half-open probe leases: id → expiry. */
	leases: Record<string, number>;
	probeOk: number;
	seq: number;
	updatedAt: number;
}
