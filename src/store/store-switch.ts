import type { Clock } from '../types';
import { isStoreUnavailableError } from './errors';
import type { StoreKind } from './types';

export interface FallbackOptions {
	clock?: Clock;
	/** After a failure, go straight to the fallback for this long instead of paying a timeout per item. */
	retryPrimaryAfterMs?: number;
	/** Called on every call answered by the fallback, so the node can warn and mark its output. */
	onFallback?: (error: unknown) => void;
}

/**
 * "Fall back to embedded state and warn", for any concern: the primary (Redis) answers while reachable; when it
 * is not, the fallback does, and `lastKind` says which store answered the latest call.
 */
export class StoreSwitch<S extends { readonly kind: StoreKind }> {
	readonly kind: StoreKind;
	lastKind: StoreKind;
	fallbackCalls = 0;
	private skipUntil = 0;
	private readonly clock: Clock;
	private readonly retryAfter: number;

	constructor(
		readonly primary: S,
		readonly fallback: S,
		protected readonly o: FallbackOptions = {},
	) {
		this.kind = primary.kind;
		this.lastKind = primary.kind;
		this.clock = o.clock ?? { now: () => Date.now() };
		this.retryAfter = o.retryPrimaryAfterMs ?? 5000;
	}

	async use<T>(call: (s: S) => Promise<T>): Promise<T> {
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
}
