import type { Clock } from '../types';
import type { BreakerStore } from '../store/types';
import { CircuitOpenError } from './errors';
import { resolveBreakerPolicy, type BreakerPolicyInput } from './policy';
import type { BreakerAcquireResult, BreakerEvent, BreakerOutcome, BreakerPolicy, BreakerRecordResult, BreakerView } from './types';

export interface CircuitBreakerOptions {
	store: BreakerStore;
	key: string;
	policy?: BreakerPolicyInput;
	clock?: Clock;
}

/** One breaker: a key and a policy bound to a store. Holds no state itself, so it is cheap to make per item. */
export class CircuitBreaker {
	readonly key: string;
	readonly policy: BreakerPolicy;
	private readonly store: BreakerStore;
	private readonly clock: Clock;

	constructor(o: CircuitBreakerOptions) {
		this.store = o.store;
		this.key = o.key;
		this.policy = resolveBreakerPolicy(o.policy);
		this.clock = o.clock ?? { now: () => Date.now() };
	}

	acquire(): Promise<BreakerAcquireResult> {
		return this.store.acquire(this.key, this.policy);
	}
	record(outcome: BreakerOutcome): Promise<BreakerRecordResult> {
		return this.store.record(this.key, outcome, this.policy);
	}
	recordSuccess(extra: Omit<BreakerOutcome, 'kind'> = {}): Promise<BreakerRecordResult> {
		return this.record({ ...extra, kind: 'success' });
	}
	recordFailure(extra: Omit<BreakerOutcome, 'kind'> = {}): Promise<BreakerRecordResult> {
		return this.record({ ...extra, kind: 'failure' });
	}
	getState(): Promise<BreakerView> {
		return this.store.getState(this.key, this.policy);
	}
	reset(): Promise<BreakerView> {
		return this.store.reset(this.key, this.policy);
	}
	forceOpen(durationMs?: number): Promise<BreakerView> {
		return this.store.forceOpen(this.key, this.policy, durationMs);
	}
	events(limit?: number): Promise<BreakerEvent[]> {
		return this.store.events(this.key, limit);
	}

	/**
	 * Runs `fn` if the breaker allows it, then records what `judge` makes of its result or error.
	 * Throws CircuitOpenError without calling `fn` when rejected.
	 */
	async execute<T>(fn: () => Promise<T>, judge: (r: { value?: T; error?: unknown }) => BreakerOutcome['kind']): Promise<T> {
		const a = await this.acquire();
		if (!a.allowed) throw new CircuitOpenError(a.view, a.retryAt);
		const started = this.clock.now();
		const lease = a.leaseId !== undefined ? { leaseId: a.leaseId } : {};
		const settled = await fn().then(
			(value) => ({ ok: true as const, value }),
			(error: unknown) => ({ ok: false as const, error }),
		);
		const kind = settled.ok ? judge({ value: settled.value }) : judge({ error: settled.error });
		await this.record({ kind, durationMs: this.clock.now() - started, ...lease });
		return settled.ok ? settled.value : Promise.reject(settled.error);
	}

	toJSON(): { key: string; policy: BreakerPolicy } {
		return { key: this.key, policy: this.policy };
	}
}
