// The executor's gate for one request: the retry budget, a booked slot (slept by the executor), a pause or a quota
// reset that ends within the window (slept here, then asked again), anything longer deferred with retryAt; and a
// report of what it decided, for the item's output.
import type { AttemptGate, AttemptResult, RequestFacts, RetryPolicy, Sleep, Verdict } from '../types';
import type { LimiterDecision, LimiterDenyReason, RetryBudgetDecision, RetryBudgetPolicy } from './types';

/** Why the limiter held an item back: its rate, a server-asked pause, the daily guard, or the retry budget. */
export type LimiterStopReason = LimiterDenyReason | 'retry-budget';

export interface LimiterGateReport {
	bucket: string;
	endpointClass?: string;
	/** Set when the limiter deferred the item. */
	stoppedBy?: LimiterStopReason;
	detail?: string;
	retryAt?: number;
	/** Time this item spent waiting for slots and pauses. */
	waitedMs: number;
	/** The rate in force at the last grant (-1 = no cap). */
	ratePerSec?: number;
}

export interface LimiterGate {
	beforeAttempt: (attempt: number) => Promise<AttemptGate | void>;
	onAttempt: (record: unknown, verdict: Verdict, result: AttemptResult) => Promise<void>;
	report: () => LimiterGateReport;
}

export interface LimiterGateOptions {
	/** Tokens this call uses (a deep Salesloft page costs more). */
	cost?: number;
	/** Estimated model tokens (OpenAI TPM, Anthropic ITPM): a second bucket. */
	tokens?: number;
	/** Waits out a pause or reset that ends within the window; without it such an item is deferred. */
	sleep?: Sleep;
	signal?: AbortSignal;
}

/** What the gate needs from a RateLimiter (kept narrow so the gate is testable on its own). */
export interface GateLimiter {
	bucketFor(req: Pick<RequestFacts, 'method' | 'url'>): { key: string; endpointClass?: string };
	acquire(req: Pick<RequestFacts, 'method' | 'url'>, o: { maxWaitMs?: number; cost?: number }): Promise<LimiterDecision>;
	acquireTokens(req: Pick<RequestFacts, 'method' | 'url'>, tokens: number, maxWaitMs: number): Promise<LimiterDecision>;
	observe(req: Pick<RequestFacts, 'method' | 'url'>, result: AttemptResult, verdict?: Verdict): Promise<unknown>;
	spendRetryBudget(req: Pick<RequestFacts, 'method' | 'url'>, attempt: number): Promise<{ decision: RetryBudgetDecision; policy: RetryBudgetPolicy; endpoint: string } | undefined>;
	/** When the request's bucket is paused (a 429's Retry-After, a daily quota answer), until when; read-only. */
	pausedUntil(req: Pick<RequestFacts, 'method' | 'url'>): Promise<number | undefined>;
	now(): number;
}

/** A pause that keeps being renewed while we wait is not waited for forever. */
const MAX_WAIT_ROUNDS = 4;

const KIND: Record<LimiterDenyReason, string> = { rate: 'rate limit', paused: 'paused', 'daily-quota': 'quota-wait' };

export function limiterGate(l: GateLimiter, request: RequestFacts, policy: RetryPolicy, per: LimiterGateOptions = {}): LimiterGate {
	let start: number | undefined;
	const b = l.bucketFor(request);
	const report: LimiterGateReport = { bucket: b.key, waitedMs: 0 };
	if (b.endpointClass) report.endpointClass = b.endpointClass;
	const stop = (why: LimiterStopReason, retryAt: number, detail: string, kind: string): AttemptGate => {
		Object.assign(report, { stoppedBy: why, detail, retryAt });
		return { stop: 'deferred', retryAt, reason: `${kind}: ${detail}; deferred` };
	};

	const acquire = async (maxWaitMs: number): Promise<LimiterDecision> => {
		const d = await l.acquire(request, { maxWaitMs, cost: per.cost });
		if (!d.granted || !per.tokens) return d;
		// A booked request slot is not handed back when tokens are short: the item defers anyway.
		const t = await l.acquireTokens(request, per.tokens, maxWaitMs);
		return t.granted ? { ...d, waitMs: Math.max(d.waitMs, t.waitMs) } : t;
	};

	/** Sleeps `ms` with the item's signal; false when the execution was stopped meanwhile. */
	const slept = async (sleep: NonNullable<LimiterGateOptions['sleep']>, ms: number): Promise<boolean> => {
		try {
			await sleep(ms, per.signal);
		} catch {
			return false;
		}
		return !per.signal?.aborted;
	};
	const cancelled: AttemptGate = { stop: 'cancelled', reason: 'cancelled while waiting for the rate limiter' };

	return {
		report: () => ({ ...report }),
		beforeAttempt: async (attempt) => {
			const now = l.now();
			start ??= now;
			const rb = await l.spendRetryBudget(request, attempt);
			if (rb && !rb.decision.allowed) {
				const { decision: r, policy: p, endpoint } = rb;
				const detail = `retry budget of ${endpoint} used up: ${r.retries} retries for ${r.requests} requests in ${p.windowMs / 1000}s (${Math.round(p.ratio * 100)} %)`;
				return stop('retry-budget', now + p.windowMs, detail, 'retry budget');
			}
			for (let round = 1; ; round++) {
				const t = l.now();
				const maxWaitMs = Math.max(0, Math.min(policy.maxServerWaitMs, start + policy.maxRetryWindowMs - t));
				const d = await acquire(maxWaitMs);
				if (d.granted) {
					report.ratePerSec = d.ratePerSec;
					if (d.waitMs <= 0) return undefined;
					report.waitedMs += d.waitMs;
					if (!per.sleep) return { waitMs: d.waitMs };
					// Wait for the booked slot here, then look again: an answer that arrived meanwhile (a daily quota used up,
					// a 429 with Retry-After) pauses the bucket, and a slot booked before it must not be sent into it.
					if (!(await slept(per.sleep, d.waitMs))) return { ...cancelled };
					if ((await l.pausedUntil(request)) === undefined || round >= MAX_WAIT_ROUNDS) return undefined;
					continue;
				}
				// A pause or a quota reset that ends within the window: wait it out, then ask for a slot again.
				if (per.sleep && d.waitMs <= maxWaitMs && round < MAX_WAIT_ROUNDS) {
					if (!(await slept(per.sleep, Math.max(1, d.waitMs)))) return { ...cancelled };
					report.waitedMs += d.waitMs;
					continue;
				}
				return stop(d.reason, l.now() + d.waitMs, d.detail, KIND[d.reason]);
			}
		},
		onAttempt: async (_record, verdict, result) => {
			await l.observe(request, result, verdict);
		},
	};
}
