// The token bucket and its adaptive state as pure functions on a plain record; scripts/limiter-lib.lua.ts mirrors it line by line.
import type { AcquireRequest, BucketSpec, LimiterDecision, LimiterView, RateObservation } from './types';

export interface LimiterRecord {
	tokens: number;
	ts: number;
	/** Rate caps learned from headers: name → [ratePerSec, until]. */
	ov: Record<string, [number, number]>;
	pauseUntil: number;
	pauseWhy: string;
	daily?: { limit: number; remaining: number; resetAt: number; recheckAt: number; source: string };
	updatedAt: number;
}

export const DEFAULT_DAILY_RESERVE = 0.05;
/** A rolling window of L per W is paced at this share of L/W (headroom for clock jitter between workers and server). */
export const WINDOW_SAFETY = 0.95;
/** A learned rolling-window cap lasts this many windows (at least a minute) unless headers renew it. */
export const WINDOW_CAP_WINDOWS = 10;
/** A daily quota without a reset time (rolling 24 h) is trusted this long before it must be seen again. */
export const DAILY_RECHECK_MS = 3_600_000;
/** Share of a reset-less daily quota used from which the rest is spread over the recheck period. */
export const DAILY_THROTTLE_SHARE = 0.9;
const MIN_RATE = 0.001;

export function freshRecord(spec: BucketSpec, now: number): LimiterRecord {
	return { tokens: spec.burst, ts: now, ov: {}, pauseUntil: 0, pauseWhy: '', updatedAt: now };
}

const baseRate = (spec: BucketSpec) => (spec.ratePerSec > 0 ? spec.ratePerSec : Infinity);

/** Drops what has expired, refills, and returns the effective rate (Infinity = no cap). */
export function settle(r: LimiterRecord, spec: BucketSpec, now: number): number {
	let rate = baseRate(spec);
	for (const [name, [cap, until]] of Object.entries(r.ov)) {
		if (until <= now) delete r.ov[name];
		else rate = Math.min(rate, cap);
	}
	if (r.pauseUntil <= now) {
		r.pauseUntil = 0;
		r.pauseWhy = '';
	}
	if (r.daily && ((r.daily.resetAt > 0 && r.daily.resetAt <= now) || (r.daily.resetAt === 0 && r.daily.recheckAt <= now))) delete r.daily;
	if (now > r.ts) {
		r.tokens = rate === Infinity ? spec.burst : Math.min(spec.burst, r.tokens + ((now - r.ts) * rate) / 1000);
		r.ts = now;
	}
	if (r.tokens > spec.burst) r.tokens = spec.burst;
	return rate;
}

export function acquire(r: LimiterRecord, q: AcquireRequest, now: number): LimiterDecision {
	const cost = q.cost ?? 1;
	const maxWait = q.maxWaitMs ?? 0;
	const rate = settle(r, q, now);
	const shown = rate === Infinity ? -1 : rate;
	const deny = (waitMs: number, retryAt: number, reason: 'rate' | 'paused' | 'daily-quota', detail: string): LimiterDecision => ({
		granted: false, waitMs, retryAt, reason, detail, tokens: r.tokens, ratePerSec: shown, now,
	});
	if (r.pauseUntil > now) return deny(r.pauseUntil - now, r.pauseUntil, 'paused', r.pauseWhy);
	const d = r.daily;
	if (d) {
		const reserve = Math.ceil(d.limit * (q.dailyReserveShare ?? DEFAULT_DAILY_RESERVE));
		const left = d.remaining - cost;
		const until = d.resetAt > 0 ? d.resetAt : d.recheckAt;
		if (left < 0) return deny(until - now, until, 'daily-quota', `daily quota used up (${d.source})`);
		if (!q.critical && left < reserve) return deny(until - now, until, 'daily-quota', `daily quota nearly used up: ${d.remaining} of ${d.limit} left, the last ${reserve} are kept for critical traffic (${d.source})`);
	}
	let waitMs = 0;
	if (rate !== Infinity && r.tokens < cost) {
		waitMs = Math.ceil(((cost - r.tokens) * 1000) / rate);
		if (waitMs > maxWait) return deny(waitMs, now + waitMs, 'rate', `rate ${round(rate)}/s: next slot in ${waitMs} ms`);
	}
	if (rate !== Infinity) r.tokens -= cost;
	if (d) d.remaining -= cost;
	r.updatedAt = now;
	return { granted: true, waitMs, tokens: r.tokens, ratePerSec: shown, now };
}

function cap(r: LimiterRecord, name: string, rate: number, until: number, base: number): void {
	if (rate < base) r.ov[name] = [Math.max(MIN_RATE, rate), until];
}

function pause(r: LimiterRecord, until: number, why: string): void {
	if (until > r.pauseUntil) {
		r.pauseUntil = until;
		r.pauseWhy = why;
	}
}

/** Slow down before the server says no: remaining budget spread over the time to its reset, rolling windows paced, pauses kept. */
export function adapt(r: LimiterRecord, spec: BucketSpec, obs: RateObservation, now: number): void {
	settle(r, spec, now);
	const unit = spec.unit ?? 'requests';
	const base = baseRate(spec);
	for (const w of obs.windows) {
		if (w.unit !== unit || !(w.remaining >= 0)) continue;
		r.tokens = Math.min(r.tokens, w.remaining);
		if (w.resetInMs !== undefined && w.resetInMs > 0) {
			const until = now + w.resetInMs;
			if (w.remaining <= 0) pause(r, until, `${w.name} limit used up until its reset`);
			else if (w.remaining < (base * w.resetInMs) / 1000) {
				// It would run out before the reset: one call now at most, the rest evenly until the reset.
				r.tokens = Math.min(r.tokens, 1);
				cap(r, w.name, ((w.remaining - Math.max(0, r.tokens)) * 1000) / w.resetInMs, until, base);
			}
		} else if (w.limit !== undefined && w.limit > 0 && w.windowMs !== undefined && w.windowMs > 0) {
			// Rolling window: slots free as old calls age out, so pace at the window's rate instead of spreading the rest.
			cap(r, w.name, ((w.limit * 1000) / w.windowMs) * WINDOW_SAFETY, now + Math.max(60_000, w.windowMs * WINDOW_CAP_WINDOWS), base);
		}
	}
	if (obs.pauseMs !== undefined && obs.pauseMs > 0) pause(r, now + obs.pauseMs, obs.pauseReason ?? 'the server asked to wait (Retry-After)');
	const q = obs.daily;
	if (q && q.limit > 0 && q.remaining >= 0) {
		const resetAt = q.resetInMs !== undefined && q.resetInMs > 0 ? now + q.resetInMs : 0;
		r.daily = { limit: q.limit, remaining: q.remaining, resetAt, recheckAt: now + DAILY_RECHECK_MS, source: q.source };
		if (resetAt > 0) cap(r, 'daily', (q.remaining * 1000) / q.resetInMs!, resetAt, base);
		else if (q.remaining <= q.limit * (1 - DAILY_THROTTLE_SHARE)) cap(r, 'daily', (q.remaining * 1000) / DAILY_RECHECK_MS, now + DAILY_RECHECK_MS, base);
	}
	r.updatedAt = now;
}

export function viewOf(key: string, r: LimiterRecord, spec: BucketSpec, now: number): LimiterView {
	const rate = settle(r, spec, now);
	const v: LimiterView = {
		key,
		tokens: r.tokens,
		ratePerSec: rate === Infinity ? -1 : rate,
		baseRatePerSec: spec.ratePerSec,
		overrides: Object.entries(r.ov).map(([name, [ratePerSec, until]]) => ({ name, ratePerSec, until })).sort((a, b) => a.name.localeCompare(b.name)),
		now,
	};
	if (r.pauseUntil > now) Object.assign(v, { pausedUntil: r.pauseUntil, pauseReason: r.pauseWhy });
	if (r.daily) {
		const { limit, remaining, resetAt, recheckAt, source } = r.daily;
		v.daily = resetAt > 0 ? { limit, remaining, resetAt, recheckAt, source } : { limit, remaining, recheckAt, source };
	}
	return v;
}

/** Idle keys expire once nothing in them matters any more. */
export function ttlMs(r: LimiterRecord, spec: BucketSpec, now: number, idleTtlMs: number): number {
	let end = now;
	for (const [, until] of Object.values(r.ov)) end = Math.max(end, until);
	end = Math.max(end, r.pauseUntil, r.daily ? Math.max(r.daily.resetAt, r.daily.recheckAt) : 0);
	if (spec.ratePerSec > 0 && r.tokens < spec.burst) end = Math.max(end, now + ((spec.burst - r.tokens) * 1000) / spec.ratePerSec);
	return Math.ceil(end - now) + idleTtlMs;
}

const round = (n: number) => Math.round(n * 1000) / 1000;
