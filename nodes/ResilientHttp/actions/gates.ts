// Runs the per-item gates (circuit breaker, then rate limiter) as one: the first that stops the item wins and the
// earlier ones give back what they took (a breaker's probe slot); every gate sees every attempt.
import type { AttemptGate, AttemptRecord, AttemptResult, ExecutionResult, Verdict } from '../../../src/types';

export interface ItemGate {
	beforeAttempt: (attempt: number) => Promise<AttemptGate | void>;
	onAttempt: (record: AttemptRecord, verdict: Verdict, result: AttemptResult) => Promise<void>;
	/** Says in the result why this gate stopped the item, if it did. */
	finish: (result: ExecutionResult) => ExecutionResult;
	/** Undoes what beforeAttempt took, when a later gate stopped the item without a request. */
	release?: () => Promise<void>;
}

export function combineGates(gates: Array<ItemGate | undefined>): ItemGate | undefined {
	const list = gates.filter((g): g is ItemGate => g !== undefined);
	if (list.length <= 1) return list[0];
	return {
		async beforeAttempt(attempt) {
			let waitMs = 0;
			for (let k = 0; k < list.length; k++) {
				const g = await list[k].beforeAttempt(attempt);
				if (g && 'stop' in g) {
					for (const earlier of list.slice(0, k)) await earlier.release?.();
					return g;
				}
				if (g) waitMs = Math.max(waitMs, g.waitMs);
			}
			return waitMs > 0 ? { waitMs } : undefined;
		},
		async onAttempt(record, verdict, result) {
			for (const g of list) await g.onAttempt(record, verdict, result);
		},
		finish: (result) => list.reduce((r, g) => g.finish(r), result),
		async release() {
			for (const g of list) await g.release?.();
		},
	};
}
