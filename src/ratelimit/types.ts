// Rate-limit vocabulary shared by the engine, both limiter stores and the Lua scripts (which mirror bucket.ts).
import type { StoreKind } from '../store/types';

/** A token bucket: `ratePerSec` tokens refill per second up to `burst`. ratePerSec 0 = no local cap (headers and daily guard only). */
export interface BucketSpec {
	ratePerSec: number;
	burst: number;
	/** Share of a daily quota kept for critical traffic (default 0.05: non-critical stops at 95 % used). */
	dailyReserveShare?: number;
	/** What a token stands for; only header windows of this unit adapt the bucket (default requests). */
	unit?: 'requests' | 'tokens';
}

/** One acquire: the bucket, what the call costs and how long the caller may wait for its slot. */
export interface AcquireRequest extends BucketSpec {
	/** Tokens this call uses (default 1; a deep Salesloft page costs more). */
	cost?: number;
	/** A wait up to this long is reserved (the slot is booked; send after waitMs). Longer → not granted. Default 0. */
	maxWaitMs?: number;
	/** Critical traffic may use the daily reserve. */
	critical?: boolean;
}

export type LimiterDenyReason = 'rate' | 'paused' | 'daily-quota';

export type LimiterDecision =
	| { granted: true; /** 0: send now; > 0: the slot is reserved, send after this wait. */ waitMs: number; tokens: number; ratePerSec: number; now: number }
	| {
			granted: false;
			waitMs: number;
			/** Epoch ms (store time) from which a new acquire can succeed. */
			retryAt: number;
			reason: LimiterDenyReason;
			detail: string;
			tokens: number;
			ratePerSec: number;
			now: number;
	  };

/** A window a response reports: `remaining` calls, either until a reset (`resetInMs`) or in a rolling window of `limit` per `windowMs`. */
export interface RateWindow {
	/** Which limit: "requests", "tokens", "interval", "minute", "hour", a RateLimit-Policy name... */
	name: string;
	unit: 'requests' | 'tokens';
	remaining: number;
	limit?: number;
	windowMs?: number;
	/** Time until the window resets, ms from the response (relative so that store and worker clocks need not agree). */
	resetInMs?: number;
}

/** A daily (or 24-hour) quota: non-critical traffic stops near its end. */
export interface DailyQuota {
	limit: number;
	remaining: number;
	/** ms until it resets; absent for rolling 24-h windows (Salesforce), then it is re-checked hourly. */
	resetInMs?: number;
	source: string;
}

/** What one response says about the budgets: what `adapt` applies to a bucket. */
export interface RateObservation {
	windows: RateWindow[];
	daily?: DailyQuota;
	/** The server asked for a pause of everything on this bucket (Retry-After on a 429/503), ms. */
	pauseMs?: number;
	/** Shown to callers refused during that pause (default: the server asked to wait). */
	pauseReason?: string;
	/** Header families it was read from, for logs. */
	sources: string[];
}

export interface LimiterOverride {
	name: string;
	ratePerSec: number;
	until: number;
}

/** The effective state of one bucket as of `now`. */
export interface LimiterView {
	key: string;
	tokens: number;
	/** Effective rate (base capped by live overrides); -1 = no cap. */
	ratePerSec: number;
	baseRatePerSec: number;
	overrides: LimiterOverride[];
	pausedUntil?: number;
	pauseReason?: string;
	daily?: { limit: number; remaining: number; resetAt?: number; recheckAt: number; source: string };
	now: number;
}

/** SRE retry budget: retries limited to `ratio` of first attempts over a sliding window (plus a small floor). */
export interface RetryBudgetPolicy {
	ratio: number;
	windowMs: number;
	/** Retries always allowed per window, so a quiet endpoint can still retry a blip. */
	minRetries: number;
}

export interface RetryBudgetDecision {
	allowed: boolean;
	requests: number;
	retries: number;
	/** Retries the window allows right now. */
	allowance: number;
	now: number;
}

export interface LimiterStore {
	readonly kind: StoreKind;
	/** Take `cost` tokens: now, reserved after a wait ≤ maxWaitMs, or refused with the wait and the reason. One step. */
	acquire(key: string, req: AcquireRequest): Promise<LimiterDecision>;
	/** Apply what a response said (remaining, resets, daily quota, a pause) to the bucket. One step. */
	adapt(key: string, spec: BucketSpec, obs: RateObservation): Promise<LimiterView>;
	getState(key: string, spec: BucketSpec): Promise<LimiterView>;
	reset(key: string): Promise<void>;
	/** Count a first attempt ('request') or ask to spend a retry ('retry'); one step. */
	retryBudget(key: string, kind: 'request' | 'retry', policy: RetryBudgetPolicy): Promise<RetryBudgetDecision>;
}
