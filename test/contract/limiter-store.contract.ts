// One behaviour suite for every LimiterStore; limiter-*-store.test.ts run it against each implementation.
import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { LimiterDecision, LimiterStore, RateObservation } from '../../src/ratelimit';
import { resolveRetryBudget } from '../../src/ratelimit';

export interface LimiterStoreFixture {
	store: LimiterStore;
	/** Moves the store's clock forward (fake clock, or an offset added to Redis TIME). */
	advance(ms: number): void;
	teardown(): Promise<void>;
}

const obs = (o: Partial<RateObservation>): RateObservation => ({ windows: [], sources: ['test'], ...o });
const granted = (ds: LimiterDecision[]) => ds.filter((d) => d.granted).length;
/** Redis time still ticks a few ms between calls, so waits are compared within a small tolerance. */
const near = (actual: number, expected: number, msg?: string) => assert.ok(Math.abs(actual - expected) <= 15, `${msg ?? ''} expected ≈${expected}, got ${actual}`);

export function limiterStoreContract(name: string, setup: () => Promise<LimiterStoreFixture>): void {
	describe(`LimiterStore contract: ${name}`, () => {
		let f: LimiterStoreFixture;
		let s: LimiterStore;
		beforeEach(async () => {
			f = await setup();
			s = f.store;
		});
		afterEach(async () => f.teardown());
		async function seq(n: number, fn: () => Promise<LimiterDecision>): Promise<LimiterDecision[]> {
			const out: LimiterDecision[] = [];
			for (let i = 0; i < n; i++) out.push(await fn());
			return out;
		}

		it('a new bucket grants its burst at once, then refuses with the wait to the next token', async () => {
			const q = { ratePerSec: 4, burst: 3 };
			const r = await seq(4, () => s.acquire('b', q));
			assert.deepEqual(r.map((d) => d.granted), [true, true, true, false]);
			assert.ok(r[0].granted && r[0].waitMs === 0);
			const no = r[3];
			assert.ok(!no.granted);
			assert.equal(no.reason, 'rate');
			near(no.waitMs, 250);
			assert.equal(no.retryAt - no.now, no.waitMs);
		});

		it('refills at ratePerSec, never above burst', async () => {
			const q = { ratePerSec: 4, burst: 3 };
			await seq(3, () => s.acquire('refill', q));
			f.advance(500);
			assert.equal(granted(await seq(3, () => s.acquire('refill', q))), 2);
			f.advance(60_000);
			assert.equal(Math.round((await s.getState('refill', q)).tokens), 3);
			assert.equal(granted(await seq(5, () => s.acquire('refill', q))), 3);
		});

		it('a wait up to maxWaitMs books the slot: each caller gets its own later time', async () => {
			const q = { ratePerSec: 10, burst: 1, maxWaitMs: 350 };
			const r = await seq(5, () => s.acquire('res', q));
			assert.deepEqual(r.map((d) => d.granted), [true, true, true, true, false]);
			[0, 100, 200, 300, 400].forEach((w, i) => near(r[i].waitMs, w));
			const again = await s.acquire('res', q);
			assert.equal(again.granted, false);
			near(again.waitMs, 400, 'a refusal books nothing');
		});

		it('cost takes that many tokens; a cost above the burst is refused before any change', async () => {
			const q = { ratePerSec: 1, burst: 5 };
			const a = await s.acquire('cost', { ...q, cost: 3 });
			assert.ok(a.granted);
			const b = await s.acquire('cost', { ...q, cost: 3 });
			assert.ok(!b.granted);
			near(b.waitMs, 1000);
			await assert.rejects(s.acquire('cost', { ...q, cost: 6 }), /cost 6 exceeds the burst 5/);
			await assert.rejects(s.acquire('cost', { ratePerSec: -1, burst: 5 }), /ratePerSec must be/);
		});

		it('concurrent acquires never hand out more than the bucket holds', async () => {
			const q = { ratePerSec: 0.01, burst: 10 };
			const all = await Promise.all(Array.from({ length: 60 }, () => s.acquire('race', q)));
			assert.equal(granted(all), 10);
		});

		it('ratePerSec 0 means no local cap', async () => {
			assert.equal(granted(await seq(50, () => s.acquire('free', { ratePerSec: 0, burst: 1 }))), 50);
		});

		it('remaining budget is spread over the time to the reset, until the reset', async () => {
			const q = { ratePerSec: 10, burst: 10 };
			const v = await s.adapt('spread', q, obs({ windows: [{ name: 'requests', unit: 'requests', remaining: 5, limit: 100, resetInMs: 10_000 }] }));
			assert.equal(v.ratePerSec, 0.4);
			assert.deepEqual(v.overrides.map((o) => [o.name, o.ratePerSec, o.until - v.now]), [['requests', 0.4, 10_000]]);
			assert.equal(v.tokens, 1, 'one call now, the other four spread until the reset');
			assert.equal(granted(await seq(3, () => s.acquire('spread', q))), 1);
			const wait = await s.acquire('spread', q);
			assert.ok(!wait.granted);
			near(wait.waitMs, 2500, 'one call per 2.5 s');
			f.advance(10_000);
			const after = await s.getState('spread', q);
			assert.deepEqual([after.ratePerSec, after.overrides.length], [10, 0]);
		});

		it('plenty of remaining budget changes nothing', async () => {
			const q = { ratePerSec: 10, burst: 10 };
			const v = await s.adapt('plenty', q, obs({ windows: [{ name: 'requests', unit: 'requests', remaining: 900, limit: 1000, resetInMs: 10_000 }] }));
			assert.deepEqual([v.ratePerSec, v.overrides.length, v.tokens], [10, 0, 10]);
		});

		it('remaining 0 with a reset pauses every caller until the reset', async () => {
			const q = { ratePerSec: 10, burst: 10, maxWaitMs: 60_000 };
			await s.adapt('zero', q, obs({ windows: [{ name: 'minute', unit: 'requests', remaining: 0, resetInMs: 42_000 }] }));
			const d = await s.acquire('zero', q);
			assert.ok(!d.granted);
			assert.equal(d.reason, 'paused');
			near(d.waitMs, 42_000);
			assert.equal(d.retryAt - d.now, d.waitMs);
			assert.match(d.detail, /minute limit used up/);
			f.advance(42_000);
			assert.equal((await s.acquire('zero', q)).granted, true);
		});

		it('a rolling window (limit per interval, no reset) caps the rate at 95 % of it', async () => {
			const q = { ratePerSec: 50, burst: 20 };
			const v = await s.adapt('roll', q, obs({ windows: [{ name: 'interval', unit: 'requests', remaining: 7, limit: 100, windowMs: 10_000 }] }));
			assert.equal(v.ratePerSec, 9.5);
			assert.equal(v.tokens, 7);
			const slow = await s.adapt('roll2', { ratePerSec: 5, burst: 5 }, obs({ windows: [{ name: 'interval', unit: 'requests', remaining: 90, limit: 100, windowMs: 10_000 }] }));
			assert.deepEqual([slow.ratePerSec, slow.overrides.length], [5, 0], 'already slower than the window');
		});

		it('a server pause (Retry-After) stops the whole bucket; token windows leave a request bucket alone', async () => {
			const q = { ratePerSec: 10, burst: 10 };
			await s.adapt('pause', q, obs({ pauseMs: 5000, windows: [{ name: 'tokens', unit: 'tokens', remaining: 0, resetInMs: 60_000 }] }));
			const d = await s.acquire('pause', q);
			assert.ok(!d.granted && d.reason === 'paused');
			near(d.waitMs, 5000);
			assert.match(d.detail, /Retry-After/);
			f.advance(5000);
			assert.equal(granted(await seq(10, () => s.acquire('pause', q))), 10);
		});

		it('daily guard: near the end only critical traffic passes; at zero nothing; all until the reset', async () => {
			const q = { ratePerSec: 0, burst: 200 };
			const v = await s.adapt('daily', q, obs({ daily: { limit: 1000, remaining: 60, resetInMs: 3_600_000, source: 'x-hubspot-ratelimit-daily' } }));
			assert.deepEqual([v.daily?.remaining, v.daily?.resetAt! - v.now], [60, 3_600_000]);
			const r = await seq(12, () => s.acquire('daily', q));
			assert.equal(granted(r), 10, '60 left, 50 kept back for critical traffic');
			const no = r[11];
			assert.ok(!no.granted && no.reason === 'daily-quota' && no.retryAt === v.daily!.resetAt);
			assert.match(no.detail, /50 of 1000 left, the last 50 are kept for critical traffic/);
			assert.equal(granted(await seq(55, () => s.acquire('daily', { ...q, critical: true }))), 50);
			const none = await s.acquire('daily', { ...q, critical: true });
			assert.ok(!none.granted && /used up/.test(none.detail));
			f.advance(3_600_000);
			assert.equal((await s.acquire('daily', q)).granted, true, 'a new day');
		});

		it('a daily quota spreads its rest over the time to its reset when it would run out first', async () => {
			const q = { ratePerSec: 10, burst: 10 };
			const v = await s.adapt('dspread', q, obs({ daily: { limit: 250_000, remaining: 7200, resetInMs: 7_200_000, source: 'x-hubspot-ratelimit-daily' } }));
			assert.deepEqual(v.overrides.map((o) => [o.name, o.ratePerSec]), [['daily', 1]]);
		});

		it('a daily quota without reset (rolling 24 h) throttles from 90 % used and is re-checked hourly', async () => {
			const q = { ratePerSec: 0, burst: 5, dailyReserveShare: 0.05 };
			const v = await s.adapt('sf', q, obs({ daily: { limit: 10_000, remaining: 720, source: 'sforce-limit-info' } }));
			assert.equal(v.daily?.resetAt, undefined);
			assert.equal(v.daily!.recheckAt - v.now, 3_600_000);
			assert.equal(v.ratePerSec, 0.2, '720 calls over the hour');
			const at95 = await s.adapt('sf95', q, obs({ daily: { limit: 10_000, remaining: 499, source: 'sforce-limit-info' } }));
			const d = await s.acquire('sf95', q);
			assert.ok(!d.granted && d.reason === 'daily-quota' && d.retryAt === at95.daily!.recheckAt);
			f.advance(3_600_000);
			assert.equal((await s.getState('sf95', q)).daily, undefined, 'forgotten until headers say it again');
		});

		it('keys are independent and reset forgets a bucket', async () => {
			const q = { ratePerSec: 0.01, burst: 1 };
			assert.equal((await s.acquire('hubspot:cred1', q)).granted, true);
			assert.equal((await s.acquire('hubspot:cred1', q)).granted, false);
			assert.equal((await s.acquire('hubspot:cred2', q)).granted, true);
			await s.reset('hubspot:cred1');
			assert.equal((await s.acquire('hubspot:cred1', q)).granted, true);
		});

		it('retry budget: retries held to the share of requests over the window, with a floor', async () => {
			const p = resolveRetryBudget({ ratio: 0.1, windowMs: 60_000, minRetries: 2 });
			const floor = [await s.retryBudget('ep', 'retry', p), await s.retryBudget('ep', 'retry', p), await s.retryBudget('ep', 'retry', p)];
			assert.deepEqual(floor.map((d) => d.allowed), [true, true, false]);
			for (let i = 0; i < 50; i++) await s.retryBudget('ep', 'request', p);
			const more = [];
			for (let i = 0; i < 5; i++) more.push(await s.retryBudget('ep', 'retry', p));
			assert.deepEqual(more.map((d) => d.allowed), [true, true, true, false, false], '10 % of 50 = 5 retries in the window');
			assert.deepEqual([more[4].requests, more[4].retries, more[4].allowance], [50, 5, 5]);
			f.advance(61_000);
			const fresh = await s.retryBudget('ep', 'retry', p);
			assert.deepEqual([fresh.allowed, fresh.requests, fresh.retries], [true, 0, 1], 'old counts slid out');
		});

		it('retry budget: concurrent retries never exceed the allowance', async () => {
			const p = resolveRetryBudget({ ratio: 0.1, minRetries: 0 });
			for (let i = 0; i < 30; i++) await s.retryBudget('storm', 'request', p);
			const all = await Promise.all(Array.from({ length: 40 }, () => s.retryBudget('storm', 'retry', p)));
			assert.equal(all.filter((d) => d.allowed).length, 3);
		});
	});
}
