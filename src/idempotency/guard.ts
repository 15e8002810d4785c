import type { ClaimResult, CompleteResult, IdempotencyLedger, TakeOver } from './types';
import { newOwnerToken } from './fingerprint';

export interface IdempotencyGuardOptions {
	ledger: IdempotencyLedger;
	/** This claimant's token (one per execution item); a fresh random one by default. */
	owner?: string;
	leaseMs?: number;
	/** How long a stored result answers duplicates (default: the ledger's, 24 h). */
	ttlMs?: number;
}

export interface OnceOptions<T> {
	fingerprint?: string;
	/** What to store as the result (chosen fields); the whole value by default. */
	keep?: (value: T) => unknown;
	/** After `fn` throws: release the key so a later attempt runs (default), or keep it claimed until the lease ends. */
	onError?: (error: unknown) => 'release' | 'keep';
}

export type OnceOutcome<T> =
	| { status: 'done'; value: T; attempt: number; tookOver?: TakeOver; completion: CompleteResult }
	| { status: 'duplicate'; result: unknown; firstDoneAt: number; completedAt: number }
	| { status: 'in-progress'; owner: string; leaseExpiresAt: number }
	| { status: 'conflict'; storedFingerprint: string };

/** One claimant bound to a ledger: claim before the side effect, complete after it, release when it fails. */
export class IdempotencyGuard {
	readonly owner: string;
	constructor(private readonly o: IdempotencyGuardOptions) {
		this.owner = o.owner ?? newOwnerToken();
	}

	claim(key: string, fingerprint?: string): Promise<ClaimResult> {
		return this.o.ledger.claim(key, { owner: this.owner, leaseMs: this.o.leaseMs, ttlMs: this.o.ttlMs, fingerprint });
	}
	complete(key: string, result: unknown): Promise<CompleteResult> {
		return this.o.ledger.complete(key, this.owner, result, this.o.ttlMs);
	}
	release(key: string) {
		return this.o.ledger.release(key, this.owner);
	}

	/** Runs `fn` only when this claimant wins the key; a finished key answers with its stored result instead. */
	async once<T>(key: string, fn: () => Promise<T>, o: OnceOptions<T> = {}): Promise<OnceOutcome<T>> {
		const c = await this.claim(key, o.fingerprint);
		if (c.status === 'duplicate') return { status: 'duplicate', result: c.result, firstDoneAt: c.firstDoneAt, completedAt: c.completedAt };
		if (c.status === 'in-progress') return c;
		if (c.status === 'conflict') return { status: 'conflict', storedFingerprint: c.storedFingerprint };
		const settled = await fn().then(
			(value) => ({ ok: true as const, value }),
			(error: unknown) => ({ ok: false as const, error }),
		);
		if (!settled.ok) {
			if ((o.onError?.(settled.error) ?? 'release') === 'release') await this.release(key);
			return Promise.reject(settled.error);
		}
		const completion = await this.complete(key, o.keep ? o.keep(settled.value) : settled.value);
		const out: OnceOutcome<T> = { status: 'done', value: settled.value, attempt: c.attempt, completion };
		if (c.tookOver) out.tookOver = c.tookOver;
		return out;
	}
}
