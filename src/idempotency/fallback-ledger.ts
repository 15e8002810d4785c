import { StoreSwitch, type FallbackOptions } from '../store/store-switch';
import type { ClaimOptions, ClaimResult, CompleteResult, IdempotencyLedger, LedgerView, ReleaseResult } from './types';

/**
 * "Fall back to embedded and warn": the primary (Redis) answers while reachable; when it is not, the
 * embedded ledger does. Dedupe then holds only within this process, which is why the node must warn.
 * A claim made on one store is settled on the same store when it can be, so it is not lost on a switch.
 */
export class FallbackIdempotencyLedger extends StoreSwitch<IdempotencyLedger> implements IdempotencyLedger {
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

export type FallbackLedgerOptions = FallbackOptions;
