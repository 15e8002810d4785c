// Backoff strategies as small objects: each turns "retry n" into a wait, randomness injected.
import type { JitterMode, Random, RetryPolicy } from '../types';

export interface BackoffOptions {
	baseDelayMs: number;
	factor: number;
	maxDelayMs: number;
}

export interface Backoff {
	readonly mode: JitterMode;
	/** Wait before retry n (1-based). `previousMs` is the last wait, used by decorrelated jitter. */
	next(retry: number, random: Random, previousMs?: number): number;
}

/** d = min(maxDelay, base × factor^(n−1)): the nominal delay every mode starts from. */
export function nominalDelay(o: BackoffOptions, retry: number): number {
	const n = Math.max(1, retry);
	const raw = o.baseDelayMs * Math.pow(o.factor, n - 1);
	return Math.max(0, Math.min(o.maxDelayMs, Number.isFinite(raw) ? raw : o.maxDelayMs));
}

/** [0, d]: the product default; spreads a herd best. */
export class FullJitterBackoff implements Backoff {
	readonly mode = 'full' as const;
	constructor(private readonly o: BackoffOptions) {}
	next(retry: number, random: Random): number {
		return Math.round(random() * nominalDelay(this.o, retry));
	}
}

/** [d, d + min(d, 1000)]: never shorter than d, so single gaps stay checkable. */
export class AdditiveJitterBackoff implements Backoff {
	readonly mode = 'additive' as const;
	constructor(private readonly o: BackoffOptions) {}
	next(retry: number, random: Random): number {
		const d = nominalDelay(this.o, retry);
		return Math.round(d + random() * Math.min(d, 1000));
	}
}

/** [d/2, d]. */
export class EqualJitterBackoff implements Backoff {
	readonly mode = 'equal' as const;
	constructor(private readonly o: BackoffOptions) {}
	next(retry: number, random: Random): number {
		const d = nominalDelay(this.o, retry);
		return Math.round(d / 2 + random() * (d / 2));
	}
}

/** min(cap, uniform(base, previous × 3)): grows from the last wait instead of the retry number. */
export class DecorrelatedJitterBackoff implements Backoff {
	readonly mode = 'decorrelated' as const;
	constructor(private readonly o: BackoffOptions) {}
	next(_retry: number, random: Random, previousMs?: number): number {
		const base = this.o.baseDelayMs;
		const upper = Math.max(base, (previousMs ?? base) * 3);
		return Math.round(Math.min(this.o.maxDelayMs, base + random() * (upper - base)));
	}
}

/** Exactly d. */
export class NoJitterBackoff implements Backoff {
	readonly mode = 'none' as const;
	constructor(private readonly o: BackoffOptions) {}
	next(retry: number): number {
		return nominalDelay(this.o, retry);
	}
}

export function createBackoff(policy: Pick<RetryPolicy, 'baseDelayMs' | 'factor' | 'maxDelayMs' | 'jitter'>): Backoff {
	const o: BackoffOptions = { baseDelayMs: policy.baseDelayMs, factor: policy.factor, maxDelayMs: policy.maxDelayMs };
	switch (policy.jitter) {
		case 'additive':
			return new AdditiveJitterBackoff(o);
		case 'equal':
			return new EqualJitterBackoff(o);
		case 'decorrelated':
			return new DecorrelatedJitterBackoff(o);
		case 'none':
			return new NoJitterBackoff(o);
		case 'full':
			return new FullJitterBackoff(o);
		default:
			throw new Error(`Unknown jitter mode "${String(policy.jitter)}"; use full, additive, equal, decorrelated or none`);
	}
}

/** A server-given wait is a floor: slept as [wait, wait + 1000] (exactly wait under 'none'). */
export function jitterServerWait(waitMs: number, mode: JitterMode, random: Random): number {
	const w = Math.max(0, waitMs);
	return mode === 'none' ? w : Math.round(w + random() * 1000);
}
