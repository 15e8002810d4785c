// One behaviour suite for every BreakerStore; each *.test.ts here runs it against one implementation.
import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { resolveBreakerPolicy, type BreakerPolicyInput } from '../../src/breaker';
import type { BreakerStore } from '../../src/store';

export interface BreakerStoreFixture {
	store: BreakerStore;
	/** Moves the store's clock forward (fake clock, or an offset added to Redis TIME). */
	advance(ms: number): void;
	teardown(): Promise<void>;
}

export function breakerStoreContract(name: string, setup: () => Promise<BreakerStoreFixture>): void {
	describe(`BreakerStore contract: ${name}`, () => {
		let f: BreakerStoreFixture;
		let s: BreakerStore;
		beforeEach(async () => {
			f = await setup();
			s = f.store;
		});
		afterEach(async () => f.teardown());

		const P = (o: BreakerPolicyInput = {}) => resolveBreakerPolicy(o);
		const fail = (k: string, p: ReturnType<typeof P>, n = 1, extra = {}) => seq(n, () => s.record(k, { kind: 'failure', ...extra }, p));
		async function seq<T>(n: number, fn: () => Promise<T>): Promise<T[]> {
			const out: T[] = [];
			for (let i = 0; i < n; i++) out.push(await fn());
			return out;
		}

		it('a new breaker is closed and allows calls without a probe lease', async () => {
			const p = P();
			const a = await s.acquire('new', p);
			assert.equal(a.allowed, true);
			assert.equal(a.allowed && a.probe, false);
			const v = await s.getState('new', p);
			assert.deepEqual([v.state, v.calls, v.failures, v.trips, v.key], ['closed', 0, 0, 0, 'new']);
		});

		it('trips after exactly N consecutive failures; a success in between starts the count again', async () => {
			const p = P({ consecutiveFailures: 3, halfOpenAfterMs: 10_000 });
			await fail('c', p, 2);
			await s.record('c', { kind: 'success' }, p);
			const r = await fail('c', p, 2);
			assert.equal(r[1].view.state, 'closed');
			assert.equal(r[1].view.consecutiveFailures, 2);
			const trip = await s.record('c', { kind: 'failure' }, p);
			assert.equal(trip.view.state, 'open');
			assert.equal(trip.transition?.to, 'open');
			assert.match(trip.transition!.reason, /3 consecutive failures/);
			assert.equal(trip.view.openUntil, trip.transition!.at + 10_000);
			const a = await s.acquire('c', p);
			assert.equal(a.allowed, false);
			assert.equal(!a.allowed && a.retryAt, trip.view.openUntil);
		});

		it('the failure rate trips only once minimumCalls calls are in the window', async () => {
			const p = P({ failureRateThreshold: 0.5, minimumCalls: 10, windowSize: 20 });
			const early = await fail('r', p, 9);
			assert.equal(early[8].view.state, 'closed', '9 failures of 9 calls stay under minimumCalls');
			const trip = await fail('r', p, 1);
			assert.equal(trip[0].view.state, 'open');
			assert.match(trip[0].transition!.reason, /failure rate 100% over 10 calls/);
		});

		it('the failure rate trips at the threshold, not below it', async () => {
			const p = P({ failureRateThreshold: 0.5, minimumCalls: 10, windowSize: 20 });
			await seq(6, () => s.record('t', { kind: 'success' }, p));
			const below = await fail('t', p, 4);
			assert.equal(below[3].view.state, 'closed', '4 of 10 = 40%');
			const at = await fail('t', p, 2);
			assert.equal(at[0].view.state, 'closed', '5 of 11 = 45%');
			assert.equal(at[1].view.state, 'open', '6 of 12 = 50%');
			assert.match(at[1].transition!.reason, /failure rate 50% over 12 calls/);
		});

		it('a count window keeps only the last windowSize calls', async () => {
			const p = P({ failureRateThreshold: 0.75, minimumCalls: 4, windowSize: 4 });
			await fail('w', p, 2);
			await seq(4, () => s.record('w', { kind: 'success' }, p));
			const two = await fail('w', p, 2);
			assert.deepEqual([two[1].view.state, two[1].view.calls, two[1].view.failures], ['closed', 4, 2]);
			const third = await fail('w', p, 1);
			assert.equal(third[0].view.state, 'open');
		});

		it('a count window drops calls older than rollingWindowMs', async () => {
			const p = P({ failureRateThreshold: 0.5, minimumCalls: 4, windowSize: 20, rollingWindowMs: 60_000 });
			await fail('age', p, 3);
			f.advance(61_000);
			assert.equal((await s.getState('age', p)).calls, 0);
			const r = await fail('age', p, 1);
			assert.deepEqual([r[0].view.state, r[0].view.calls], ['closed', 1]);
		});

		it('a time window counts every call of the last rollingWindowMs', async () => {
			const p = P({ windowType: 'time', rollingWindowMs: 10_000, failureRateThreshold: 0.5, minimumCalls: 30 });
			await seq(25, () => s.record('tw', { kind: 'success' }, p));
			const r = await fail('tw', p, 24);
			assert.deepEqual([r[23].view.calls, r[23].view.state], [49, 'closed'], '24 of 49 < 50%');
			f.advance(12_000);
			assert.equal((await s.getState('tw', p)).calls, 0, 'all calls aged out');
			await seq(20, () => s.record('tw', { kind: 'success' }, p));
			const trip = await fail('tw', p, 20);
			assert.equal(trip[19].view.state, 'open', '20 of 40 = 50%, old calls forgotten');
			assert.equal(trip[18].view.state, 'closed');
		});

		it('ignored outcomes (429, quota) count nowhere', async () => {
			const p = P({ consecutiveFailures: 2, minimumCalls: 2 });
			const r = await seq(10, () => s.record('ign', { kind: 'ignored' }, p));
			assert.equal(r[9].counted, false);
			const v = await s.getState('ign', p);
			assert.deepEqual([v.state, v.calls], ['closed', 0]);
		});

		it('is lazy: open reads half-open once resetTimeoutMs has passed, with no timer', async () => {
			const p = P({ consecutiveFailures: 1, resetTimeoutMs: 20_000 });
			await fail('lazy', p);
			f.advance(19_000);
			assert.equal((await s.getState('lazy', p)).state, 'open');
			f.advance(1_000);
			const v = await s.getState('lazy', p);
			assert.equal(v.state, 'half-open');
			assert.equal(v.openUntil, undefined);
		});

		it('half-open lets exactly halfOpenMaxProbes concurrent calls through', async () => {
			const p = P({ consecutiveFailures: 1, resetTimeoutMs: 1000, halfOpenMaxProbes: 2 });
			await fail('probe', p);
			f.advance(1000);
			const all = await Promise.all(Array.from({ length: 12 }, () => s.acquire('probe', p)));
			const granted = all.filter((a) => a.allowed);
			assert.equal(granted.length, 2);
			assert.ok(granted.every((a) => a.allowed && a.probe && a.leaseId));
			assert.notEqual(granted[0].allowed && granted[0].leaseId, granted[1].allowed && granted[1].leaseId);
			assert.equal((await s.getState('probe', p)).probesInFlight, 2);
		});

		it('all probes succeeding closes it; one success of two keeps it half-open', async () => {
			const p = P({ consecutiveFailures: 1, resetTimeoutMs: 1000, halfOpenMaxProbes: 2 });
			await fail('close', p);
			f.advance(1000);
			const a = await s.acquire('close', p);
			const b = await s.acquire('close', p);
			const r1 = await s.record('close', { kind: 'success', leaseId: a.allowed ? a.leaseId : '' }, p);
			assert.deepEqual([r1.view.state, r1.view.probeSuccesses], ['half-open', 1]);
			assert.equal((await s.acquire('close', p)).allowed, false, 'a succeeded probe still uses its slot');
			const r2 = await s.record('close', { kind: 'success', leaseId: b.allowed ? b.leaseId : '' }, p);
			assert.equal(r2.view.state, 'closed');
			assert.equal(r2.transition?.from, 'half-open');
			assert.equal(r2.view.trips, 0);
			assert.equal((await s.acquire('close', p)).allowed, true);
		});

		it('a failed probe re-opens with a new timer, growing by openBackoffFactor up to maxOpenMs', async () => {
			const p = P({ consecutiveFailures: 1, resetTimeoutMs: 1000, openBackoffFactor: 3, maxOpenMs: 5000 });
			const t1 = (await fail('grow', p))[0];
			assert.equal(t1.view.openUntil! - t1.transition!.at, 1000);
			const durations: number[] = [];
			for (let i = 0; i < 3; i++) {
				f.advance(5000);
				const a = await s.acquire('grow', p);
				assert.ok(a.allowed && a.probe);
				const r = await s.record('grow', { kind: 'failure', leaseId: a.leaseId }, p);
				assert.equal(r.transition?.from, 'half-open');
				assert.equal(r.transition?.reason, 'probe failed');
				durations.push(r.view.openUntil! - r.transition!.at);
			}
			assert.deepEqual(durations, [3000, 5000, 5000]);
		});

		it('a Retry-After on the tripping failure sets the open duration (capped), unless disabled', async () => {
			const p = P({ consecutiveFailures: 1, resetTimeoutMs: 30_000, maxOpenMs: 120_000 });
			const r = (await fail('ra', p, 1, { retryAfterMs: 90_000 }))[0];
			assert.equal(r.view.openUntil! - r.transition!.at, 90_000);
			const capped = (await fail('ra2', p, 1, { retryAfterMs: 900_000 }))[0];
			assert.equal(capped.view.openUntil! - capped.transition!.at, 120_000);
			const off = P({ consecutiveFailures: 1, resetTimeoutMs: 30_000, respectRetryAfter: false });
			const plain = (await fail('ra3', off, 1, { retryAfterMs: 90_000 }))[0];
			assert.equal(plain.view.openUntil! - plain.transition!.at, 30_000);
		});

		it("a crashed probe's lease expires and frees its slot; its late outcome is not counted", async () => {
			const p = P({ consecutiveFailures: 1, resetTimeoutMs: 1000, probeLeaseMs: 5000 });
			await fail('crash', p);
			f.advance(1000);
			const lost = await s.acquire('crash', p);
			assert.ok(lost.allowed);
			const blocked = await s.acquire('crash', p);
			assert.equal(blocked.allowed, false);
			assert.ok(!blocked.allowed && blocked.retryAt! >= blocked.view.now + 4000, 'rejected until the lease expires');
			f.advance(5000);
			const next = await s.acquire('crash', p);
			assert.ok(next.allowed && next.probe && next.leaseId !== (lost.allowed && lost.leaseId));
			const late = await s.record('crash', { kind: 'failure', leaseId: lost.allowed ? lost.leaseId : '' }, p);
			assert.equal(late.counted, false);
			assert.equal(late.view.state, 'half-open');
			const ok = await s.record('crash', { kind: 'success', leaseId: next.allowed ? next.leaseId : '' }, p);
			assert.equal(ok.view.state, 'closed');
		});

		it('an outcome without a lease id in half-open answers for the oldest probe', async () => {
			const p = P({ consecutiveFailures: 1, resetTimeoutMs: 1000 });
			await fail('nolease', p);
			f.advance(1000);
			assert.ok((await s.acquire('nolease', p)).allowed);
			const r = await s.record('nolease', { kind: 'success' }, p);
			assert.deepEqual([r.counted, r.view.state], [true, 'closed']);
			const stray = await fail('nolease2', p);
			f.advance(1000);
			const none = await s.record('nolease2', { kind: 'failure' }, p);
			assert.equal(none.counted, false, 'no probe out: nothing to answer for');
			assert.ok(stray[0].view.state === 'open');
		});

		it('a null or empty lease id means "no lease"; an unknown outcome kind is refused', async () => {
			const p = P({ consecutiveFailures: 1, resetTimeoutMs: 1000 });
			await fail('nul', p);
			f.advance(1000);
			assert.ok((await s.acquire('nul', p)).allowed);
			const r = await s.record('nul', { kind: 'success', leaseId: null as never, durationMs: Number.NaN }, p);
			assert.deepEqual([r.counted, r.view.state], [true, 'closed']);
			await assert.rejects(s.record('nul', { kind: 'boom' as never }, p), /Unknown breaker outcome "boom"/);
		});

		it('outcomes that arrive while open are not counted', async () => {
			const p = P({ consecutiveFailures: 1, resetTimeoutMs: 10_000 });
			await fail('late', p);
			const r = await s.record('late', { kind: 'success' }, p);
			assert.deepEqual([r.counted, r.view.state], [false, 'open']);
		});

		it('force open holds until reset; with a duration it half-opens after it', async () => {
			const p = P({ resetTimeoutMs: 1000 });
			const v = await s.forceOpen('f', p);
			assert.deepEqual([v.state, v.forced, v.openUntil], ['open', true, undefined]);
			f.advance(86_400_000);
			const a = await s.acquire('f', p);
			assert.equal(a.allowed, false);
			assert.equal(!a.allowed && a.retryAt, undefined);
			const r = await s.reset('f', p);
			assert.deepEqual([r.state, r.forced, r.calls], ['closed', false, 0]);
			assert.equal((await s.acquire('f', p)).allowed, true);
			const timed = await s.forceOpen('f2', p, 5000);
			assert.equal(timed.openUntil, timed.now + 5000);
			f.advance(5000);
			assert.equal((await s.getState('f2', p)).state, 'half-open');
		});

		it('a probe lease from before a reset cannot answer for a later probe', async () => {
			const p = P({ consecutiveFailures: 1, resetTimeoutMs: 1000 });
			await fail('rs', p);
			f.advance(1000);
			const old = await s.acquire('rs', p);
			await s.reset('rs', p);
			await fail('rs', p);
			f.advance(1000);
			const now = await s.acquire('rs', p);
			assert.ok(old.allowed && now.allowed && old.leaseId !== now.leaseId);
			const late = await s.record('rs', { kind: 'failure', leaseId: old.allowed ? old.leaseId : '' }, p);
			assert.deepEqual([late.counted, late.view.state], [false, 'half-open']);
		});

		it('records transitions newest first, capped at eventsCap', async () => {
			const p = P({ consecutiveFailures: 1, resetTimeoutMs: 1000, eventsCap: 4 });
			await fail('ev', p);
			f.advance(1000);
			const a = await s.acquire('ev', p);
			await s.record('ev', { kind: 'success', leaseId: a.allowed ? a.leaseId : '' }, p);
			const ev = await s.events('ev');
			assert.deepEqual(ev.map((e) => `${e.from}>${e.to}`), ['half-open>closed', 'open>half-open', 'closed>open']);
			assert.equal(ev[1].reason, 'open period elapsed');
			await fail('ev', p);
			await s.reset('ev', p);
			const capped = await s.events('ev');
			assert.equal(capped.length, 4);
			assert.deepEqual([capped[0].to, capped[0].reason], ['closed', 'manual reset']);
			assert.equal((await s.events('ev', 2)).length, 2);
		});

		it('a slow-call rate trips the breaker even when every call succeeds', async () => {
			const p = P({ failureRateThreshold: 0, slowCallDurationMs: 2000, slowCallRateThreshold: 0.5, minimumCalls: 4 });
			await seq(2, () => s.record('slow', { kind: 'success', durationMs: 100 }, p));
			const r = await seq(2, () => s.record('slow', { kind: 'success', durationMs: 2500 }, p));
			assert.equal(r[1].view.state, 'open');
			assert.match(r[1].transition!.reason, /slow-call rate 50% over 4 calls/);
		});

		it('breakers are independent per key', async () => {
			const p = P({ consecutiveFailures: 1 });
			await fail('GET api.x.com/contacts/:id', p);
			assert.equal((await s.getState('GET api.x.com/contacts/:id', p)).state, 'open');
			assert.equal((await s.acquire('POST api.x.com/contacts', p)).allowed, true);
		});

		it('lists the breakers that hold state, with their effective state', async () => {
			const p = P({ consecutiveFailures: 1, resetTimeoutMs: 1000 });
			assert.deepEqual(await s.list(p), []);
			await fail('GET a/:id', p);
			await s.record('GET b/:id', { kind: 'success' }, p);
			await s.forceOpen('GET c', p);
			f.advance(1000);
			const all = (await s.list(p)).map((v) => `${v.key}=${v.state}`).sort();
			assert.deepEqual(all, ['GET a/:id=half-open', 'GET b/:id=closed', 'GET c=open']);
			assert.equal((await s.list(p, 2)).length, 2);
		});

		it('concurrent records are each counted once (no lost update)', async () => {
			const p = P({ consecutiveFailures: 1000, failureRateThreshold: 0 });
			await Promise.all(Array.from({ length: 40 }, () => s.record('many', { kind: 'failure' }, p)));
			assert.equal((await s.getState('many', p)).consecutiveFailures, 40);
		});
	});
}
