// The breaker state machine as pure functions over a BreakerRecord; the Lua scripts in
// src/store/redis/scripts mirror this file line by line, and the contract suite holds them equal.
import type { BreakerEvent, BreakerOutcome, BreakerPolicy, BreakerRecord, BreakerState, BreakerView } from './types';

export function freshRecord(now: number): BreakerRecord {
	return { state: 'closed', since: now, openUntil: 0, forced: false, trips: 0, consecutive: 0, calls: [], buckets: [], leases: {}, probeOk: 0, seq: 0, updatedAt: now };
}

const bucketMs = (p: BreakerPolicy) => Math.max(1, Math.ceil(p.rollingWindowMs / 10));

/** Calls, failures and slow calls still inside the window at `now`. */
export function windowStats(rec: BreakerRecord, p: BreakerPolicy, now: number): { calls: number; failures: number; slow: number } {
	let calls = 0, failures = 0, slow = 0;
	if (p.windowType === 'count') {
		const from = Math.max(0, rec.calls.length - p.windowSize);
		for (let i = from; i < rec.calls.length; i++) {
			const [t, flags] = rec.calls[i];
			if (p.rollingWindowMs > 0 && t <= now - p.rollingWindowMs) continue;
			calls++;
			if (flags & 1) failures++;
			if (flags & 2) slow++;
		}
	} else {
		for (const [start, c, f, s] of rec.buckets) {
			if (start + bucketMs(p) <= now - p.rollingWindowMs) continue;
			calls += c; failures += f; slow += s;
		}
	}
	return { calls, failures, slow };
}

function addToWindow(rec: BreakerRecord, p: BreakerPolicy, now: number, failure: boolean, slow: boolean): void {
	if (p.windowType === 'count') {
		rec.calls.push([now, (failure ? 1 : 0) | (slow ? 2 : 0)]);
		rec.calls = rec.calls.filter(([t]) => !(p.rollingWindowMs > 0 && t <= now - p.rollingWindowMs)).slice(-p.windowSize);
		rec.buckets = [];
	} else {
		const size = bucketMs(p);
		const start = Math.floor(now / size) * size;
		rec.buckets = rec.buckets.filter(([s]) => s + size > now - p.rollingWindowMs);
		const last = rec.buckets[rec.buckets.length - 1];
		if (last && last[0] === start) {
			last[1]++; if (failure) last[2]++; if (slow) last[3]++;
		} else rec.buckets.push([start, 1, failure ? 1 : 0, slow ? 1 : 0]);
		rec.calls = [];
	}
}

function transition(rec: BreakerRecord, to: BreakerState, at: number, reason: string, events: BreakerEvent[]): void {
	events.push({ at, from: rec.state, to, reason });
	rec.state = to;
	rec.since = at;
	rec.leases = {};
	rec.probeOk = 0;
	rec.consecutive = 0;
	rec.calls = [];
	rec.buckets = [];
}

function open(rec: BreakerRecord, p: BreakerPolicy, now: number, reason: string, retryAfterMs: number | undefined, events: BreakerEvent[]): void {
	rec.trips++;
	let ms = Math.min(p.maxOpenMs, Math.round(p.resetTimeoutMs * Math.pow(p.openBackoffFactor, rec.trips - 1)));
	if (p.respectRetryAfter && retryAfterMs !== undefined && retryAfterMs > 0) ms = Math.min(p.maxOpenMs, Math.ceil(retryAfterMs));
	transition(rec, 'open', now, reason, events);
	rec.forced = false;
	rec.openUntil = now + ms;
}

/** Applies what time alone changes: an open period that has ended becomes half-open; dead probe leases expire. */
export function advance(rec: BreakerRecord, now: number, events: BreakerEvent[]): void {
	if (rec.state === 'open' && !rec.forced && now >= rec.openUntil) {
		transition(rec, 'half-open', rec.openUntil, 'open period elapsed', events);
	}
	if (rec.state === 'half-open') {
		for (const [id, exp] of Object.entries(rec.leases)) if (exp <= now) delete rec.leases[id];
	}
}

export type AcquireDecision = { allowed: true; probe: boolean; leaseId?: string } | { allowed: false; retryAt?: number };

export function acquire(rec: BreakerRecord, p: BreakerPolicy, now: number, events: BreakerEvent[]): AcquireDecision {
	advance(rec, now, events);
	if (rec.state === 'closed') return { allowed: true, probe: false };
	if (rec.state === 'open') return rec.forced ? { allowed: false } : { allowed: false, retryAt: rec.openUntil };
	const leases = Object.values(rec.leases);
	if (leases.length + rec.probeOk < p.halfOpenMaxProbes) {
		rec.seq++;
		const leaseId = `p${rec.seq}`;
		rec.leases[leaseId] = now + p.probeLeaseMs;
		rec.updatedAt = now;
		return { allowed: true, probe: true, leaseId };
	}
	return leases.length > 0 ? { allowed: false, retryAt: Math.min(...leases) } : { allowed: false };
}

const pct = (x: number) => Math.round(x * 100);
const leaseNum = (id: string) => Number(id.slice(1)) || 0;

/** The live lease granted first (lease ids count up), whatever its expiry. */
function oldestLease(rec: BreakerRecord): string | undefined {
	let best: string | undefined;
	for (const id of Object.keys(rec.leases)) if (best === undefined || leaseNum(id) < leaseNum(best)) best = id;
	return best;
}

/** Counts one finished call; returns whether it counted. Transitions land in `events`. */
export function record(rec: BreakerRecord, o: BreakerOutcome, p: BreakerPolicy, now: number, events: BreakerEvent[]): boolean {
	advance(rec, now, events);
	const slow = p.slowCallDurationMs > 0 && o.durationMs !== undefined && o.durationMs >= p.slowCallDurationMs;
	if (rec.state === 'open') return false;
	if (rec.state === 'half-open') {
		let lease = o.leaseId !== undefined && rec.leases[o.leaseId] !== undefined ? o.leaseId : undefined;
		if (lease === undefined && o.leaseId === undefined) {
			// An outcome without a lease id (a node that did not pass it on) answers for the oldest probe.
			lease = oldestLease(rec);
		}
		if (lease === undefined) return false;
		delete rec.leases[lease];
		rec.updatedAt = now;
		if (o.kind === 'ignored') return false;
		if (o.kind === 'failure' || (slow && p.slowCallRateThreshold > 0)) {
			open(rec, p, now, o.kind === 'failure' ? 'probe failed' : 'probe was slow', o.retryAfterMs, events);
		} else {
			rec.probeOk++;
			if (rec.probeOk >= p.halfOpenMaxProbes) {
				transition(rec, 'closed', now, `${rec.probeOk} probe(s) succeeded`, events);
				rec.trips = 0;
			}
		}
		return true;
	}
	if (o.kind === 'ignored') return false;
	const failure = o.kind === 'failure';
	addToWindow(rec, p, now, failure, slow);
	rec.consecutive = failure ? rec.consecutive + 1 : 0;
	rec.updatedAt = now;
	const s = windowStats(rec, p, now);
	if (p.consecutiveFailures > 0 && rec.consecutive >= p.consecutiveFailures) {
		open(rec, p, now, `${rec.consecutive} consecutive failures`, o.retryAfterMs, events);
	} else if (p.failureRateThreshold > 0 && s.calls >= p.minimumCalls && s.failures / s.calls >= p.failureRateThreshold) {
		open(rec, p, now, `failure rate ${pct(s.failures / s.calls)}% over ${s.calls} calls`, o.retryAfterMs, events);
	} else if (p.slowCallRateThreshold > 0 && s.calls >= p.minimumCalls && s.slow / s.calls >= p.slowCallRateThreshold) {
		open(rec, p, now, `slow-call rate ${pct(s.slow / s.calls)}% over ${s.calls} calls`, o.retryAfterMs, events);
	}
	return true;
}

/** Opens the breaker by hand: for `durationMs`, or until reset when no duration is given. */
export function forceOpen(rec: BreakerRecord, now: number, durationMs: number | undefined, events: BreakerEvent[]): void {
	advance(rec, now, events);
	transition(rec, 'open', now, durationMs === undefined ? 'forced open' : `forced open for ${durationMs} ms`, events);
	rec.forced = durationMs === undefined;
	rec.openUntil = durationMs === undefined ? 0 : now + durationMs;
	rec.updatedAt = now;
}

/** The effective state at `now`, without changing the record. */
export function viewOf(key: string, stored: BreakerRecord, p: BreakerPolicy, now: number): BreakerView {
	const rec: BreakerRecord = { ...stored, leases: { ...stored.leases } };
	advance(rec, now, []);
	const s = windowStats(rec, p, now);
	const v: BreakerView = {
		key, state: rec.state, since: rec.since, forced: rec.forced, trips: rec.trips, consecutiveFailures: rec.consecutive,
		calls: s.calls, failures: s.failures, slowCalls: s.slow,
		probesInFlight: Object.keys(rec.leases).length, probeSuccesses: rec.probeOk, now,
	};
	if (rec.state === 'open' && !rec.forced) v.openUntil = rec.openUntil;
	return v;
}
