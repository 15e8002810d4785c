// Resilient HTTP's breaker: asked before every attempt (an open breaker ends the item with no request), told after.
import type { IDataObject } from 'n8n-workflow';

import { breakerOutcomeFromVerdict, type BreakerPolicy } from '../../src/breaker';
import { isStoreUnavailableError, type BreakerStore } from '../../src/store';
import type { AttemptGate, AttemptRecord, ExecutionResult, Verdict } from '../../src/types';
import { describeView } from './breakerItem';
import { gateVerdict, storeOutageStop } from './gateStop';

export interface ItemBreaker {
	beforeAttempt: (attempt: number) => Promise<AttemptGate | void>;
	onAttempt: (record: AttemptRecord, verdict: Verdict) => Promise<void>;
	/** Gives a gate-stopped result its verdict and adds what the breaker said, for the Failed item's report. */
	finish: (result: ExecutionResult) => ExecutionResult;
	/** The breaker's view after the item, for output. */
	summary: () => IDataObject;
	/** Frees a probe slot taken by beforeAttempt when a later gate (the rate limiter) stopped the item unsent. */
	release: () => Promise<void>;
}

/** How an item waits for a probe in flight instead of failing at once; without it, half-open rejects like open. */
export interface ProbeWait {
	sleep: (ms: number) => Promise<void>;
	/** Give up (circuit-open, with retryAt) after waiting this long in total. */
	maxWaitMs: number;
}

/** Hooks for one item; `explain` turns a store-unreachable error into the message the item shows. */
export function itemBreaker(store: BreakerStore, key: string, policy: BreakerPolicy, explain: (e: unknown) => string, probeWait?: ProbeWait): ItemBreaker {
	let lease: string | undefined;
	let last: IDataObject = { name: key };
	let stopped: { rule: string; reason: string; cls: Verdict['class']; outcome: ExecutionResult['outcome'] } | undefined;
	const warnings: string[] = [];

	return {
		async beforeAttempt() {
			// Any other store error propagates as an engine failure: the item still lands on Failed.
			const acquire = () =>
				store.acquire(key, policy).catch((e: unknown) => {
					if (isStoreUnavailableError(e)) return e;
					throw e;
				});
			let a = await acquire();
			// Half-open with its probes out: the answer is seconds away, so wait for it rather than lose the item to a
			// breaker that is about to close. Open still fails fast: no probe is out, nothing will change soon.
			for (let waited = 0, step = 100; probeWait && !isStoreUnavailableError(a) && !a.allowed && a.view.state === 'half-open' && waited < probeWait.maxWaitMs; ) {
				const ms = Math.min(step, probeWait.maxWaitMs - waited);
				// A stopped execution ends the wait; the item then leaves as circuit-open like any other rejection.
				if (!(await probeWait.sleep(ms).then(() => true, () => false))) break;
				waited += ms;
				step = Math.min(step * 2, 1000);
				a = await acquire();
			}
			if (isStoreUnavailableError(a)) {
				const reason = explain(a);
				stopped = { rule: 'breaker.store-unreachable', reason, cls: 'transient', outcome: 'deferred' };
				return storeOutageStop(reason);
			}
			if (a.allowed) {
				lease = a.leaseId;
				last = { ...describeView(a.view), probe: a.probe };
				return undefined;
			}
			last = describeView(a.view, a.retryAt);
			const until = last.retryAt ? `; it lets a probe through at ${String(last.retryAt)}` : '; it stays open until reset';
			const reason = `Circuit breaker for ${key} is ${a.view.state}: no request sent${until}`;
			stopped = { rule: 'breaker.open', reason, cls: 'transient', outcome: 'circuit-open' };
			return a.retryAt !== undefined ? { stop: 'circuit-open', reason, retryAt: a.retryAt } : { stop: 'circuit-open', reason };
		},
		async onAttempt(record, verdict) {
			const outcome = breakerOutcomeFromVerdict(verdict, record.durationMs);
			if (lease !== undefined) outcome.leaseId = lease;
			lease = undefined;
			try {
				const r = await store.record(key, outcome, policy);
				last = describeView(r.view);
				if (r.transition) last.transition = `${r.transition.from} → ${r.transition.to}: ${r.transition.reason}`;
			} catch (e) {
				// The request already happened: its result stands; only the breaker missed this attempt.
				warnings.push(`circuit breaker could not record attempt ${record.attempt}: ${explain(e)}`);
			}
		},
		finish(result) {
			const r: ExecutionResult = { ...result, warnings: [...result.warnings, ...warnings] };
			// Stopped between retries: the last attempt's verdict says why it was retrying, the breaker why it stopped.
			if (stopped && r.outcome === stopped.outcome) r.verdict = gateVerdict(r, stopped.reason, stopped.rule, stopped.cls);
			return r;
		},
		summary: () => last,
		async release() {
			if (lease === undefined) return;
			const leaseId = lease;
			lease = undefined;
			try {
				await store.record(key, { kind: 'ignored', leaseId }, policy);
			} catch (e) {
				warnings.push(`circuit breaker could not free its probe slot: ${explain(e)}`);
			}
		},
	};
}
