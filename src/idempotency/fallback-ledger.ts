import type { Clock } from '../types';
import { isStoreUnavailableError } from '../store/errors';
import type { StoreKind } from '../store/types';
import type { ClaimOptions, ClaimResult, CompleteResult, IdempotencyLedger, LedgerView, ReleaseResult } from './types';

export interface FallbackLedgerOptions {
	clock?: Clock;
	/** After a failure, go straight to the fallback for this long instead of paying a timeout per item. */
	retryPrimaryAfterMs?: number;
	/** Called on every call answered by the fallback, so the node can warn and mark its output. */
	onFallback?: (error: unknown) => void;
}

/**
 * "Fall back to embedded and warn": the primary (Redis) answers while reachable; when it is not, the
 * embedded ledger does. Dedupe then holds only within this process, which is why the node must warn.
 * A claim made on one store is settled on the same store when it can be, so it is not lost on a switch.
 */
export class FallbackIdempotencyLedger implements IdempotencyLedger {
	readonly kind: StoreKind;
	lastKind: StoreKind;
	fallbackCalls = 0;
	private skipUntil = 0;
	private readonly clock: Clock;
	private readonly retryAfter: number;

	constructor(
		private readonly primary: IdempotencyLedger,
		private readonly fallback: IdempotencyLedger,
		private readonly o: FallbackLedgerOptions = {},
	) {
		this.kind = primary.kind;
		this.lastKind = primary.kind;
		this.clock = o.clock ?? { now: () => Date.now() };
		this.retryAfter = o.retryPrimaryAfterMs ?? 5000;
	}

	private async use<T>(call: (l: IdempotencyLedger) => Promise<T>): Promise<T> {
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

	/** complete/release go where the claim lives: the primary says "not-claimed" for a claim the fallback made. */
	private async settle<T extends { status: string; reason?: string }>(call: (l: IdempotencyLedger) => Promise<T>): Promise<T> {
		const r = await this.use(call);
		if (r.status === 'rejected' && r.reason === 'not-claimed' && this.lastKind === this.primary.kind) {
			const local = await call(this.fallback);
			if (!(local.status === 'rejected' && local.reason === 'not-claimed')) {
				this.fallbackCalls++;
				this.lastKind = this.fallback.kind;
				this.o.onFallback?.(undefined);
				return local;
			}
		}
		return r;
	}

	claim(key: string, o: ClaimOptions): Promise<ClaimResult> {
		return this.use((l) => l.claim(key, o));
	}
	complete(key: string, owner: string, result: unknown, ttlMs?: number): Promise<CompleteResult> {
		return this.settle((l) => l.complete(key, owner, result, ttlMs));
	}
	release(key: string, owner: string): Promise<ReleaseResult> {
		return this.settle((l) => l.release(key, owner));
	}
	check(key: string): Promise<LedgerView> {
		return this.use((l) => l.check(key));
	}
}
