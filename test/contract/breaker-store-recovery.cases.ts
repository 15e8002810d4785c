// Contract cases for open, half-open and the admin intents: timers, probes, leases, force open, reset, events.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { BreakerContractContext } from './breaker-store.contract';

export function recoveryBreakerCases(c: BreakerContractContext): void {
	const { P, fail } = c;
	it('is lazy: open reads half-open once resetTimeoutMs has passed, with no timer', async () => {
		const p = P({ consecutiveFailures: 1, resetTimeoutMs: 20_000 });
		await fail('lazy', p);
		c.advance(19_000);
		assert.equal((await c.store.getState('lazy', p)).state, 'open');
		c.advance(1_000);
		const v = await c.store.getState('lazy', p);
		assert.equal(v.state, 'half-open');
		assert.equal(v.openUntil, undefined);
	});

	it('half-open lets exactly halfOpenMaxProbes concurrent calls through', async () => {
		const p = P({ consecutiveFailures: 1, resetTimeoutMs: 1000, halfOpenMaxProbes: 2 });
		await fail('probe', p);
		c.advance(1000);
		const all = await Promise.all(Array.from({ length: 12 }, () => c.store.acquire('probe', p)));
		const granted = all.filter((a) => a.allowed);
		assert.equal(granted.length, 2);
		assert.ok(granted.every((a) => a.allowed && a.probe && a.leaseId));
		assert.notEqual(granted[0].allowed && granted[0].leaseId, granted[1].allowed && granted[1].leaseId);
		assert.equal((await c.store.getState('probe', p)).probesInFlight, 2);
	});

	it('all probes succeeding closes it; one success of two keeps it half-open', async () => {
		const p = P({ consecutiveFailures: 1, resetTimeoutMs: 1000, halfOpenMaxProbes: 2 });
		await fail('close', p);
		c.advance(1000);
		const a = await c.store.acquire('close', p);
		const b = await c.store.acquire('close', p);
		const r1 = await c.store.record('close', { kind: 'success', leaseId: a.allowed ? a.leaseId : '' }, p);
		assert.deepEqual([r1.view.state, r1.view.probeSuccesses], ['half-open', 1]);
		assert.equal((await c.store.acquire('close', p)).allowed, false, 'a succeeded probe still uses its slot');
		const r2 = await c.store.record('close', { kind: 'success', leaseId: b.allowed ? b.leaseId : '' }, p);
		assert.equal(r2.view.state, 'closed');
		assert.equal(r2.transition?.from, 'half-open');
		assert.equal(r2.view.trips, 0);
		assert.equal((await c.store.acquire('close', p)).allowed, true);
	});

	it('a failed probe re-opens with a new timer, growing by openBackoffFactor up to maxOpenMs', async () => {
		const p = P({ consecutiveFailures: 1, resetTimeoutMs: 1000, openBackoffFactor: 3, maxOpenMs: 5000 });
		const t1 = (await fail('grow', p))[0];
		assert.equal(t1.view.openUntil! - t1.transition!.at, 1000);
		const durations: number[] = [];
		for (let i = 0; i < 3; i++) {
			c.advance(5000);
			const a = await c.store.acquire('grow', p);
			assert.ok(a.allowed && a.probe);
			const r = await c.store.record('grow', { kind: 'failure', leaseId: a.leaseId }, p);
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
		c.advance(1000);
		const lost = await c.store.acquire('crash', p);
		assert.ok(lost.allowed);
		const blocked = await c.store.acquire('crash', p);
		assert.equal(blocked.allowed, false);
		assert.ok(!blocked.allowed && blocked.retryAt! >= blocked.view.now + 4000, 'rejected until the lease expires');
		c.advance(5000);
		const next = await c.store.acquire('crash', p);
		assert.ok(next.allowed && next.probe && next.leaseId !== (lost.allowed && lost.leaseId));
		const late = await c.store.record('crash', { kind: 'failure', leaseId: lost.allowed ? lost.leaseId : '' }, p);
		assert.equal(late.counted, false);
		assert.equal(late.view.state, 'half-open');
		const ok = await c.store.record('crash', { kind: 'success', leaseId: next.allowed ? next.leaseId : '' }, p);
		assert.equal(ok.view.state, 'closed');
	});

	it('an outcome without a lease id in half-open answers for the oldest probe', async () => {
		const p = P({ consecutiveFailures: 1, resetTimeoutMs: 1000 });
		await fail('nolease', p);
		c.advance(1000);
		assert.ok((await c.store.acquire('nolease', p)).allowed);
		const r = await c.store.record('nolease', { kind: 'success' }, p);
		assert.deepEqual([r.counted, r.view.state], [true, 'closed']);
		const stray = await fail('nolease2', p);
		c.advance(1000);
		const none = await c.store.record('nolease2', { kind: 'failure' }, p);
		assert.equal(none.counted, false, 'no probe out: nothing to answer for');
		assert.ok(stray[0].view.state === 'open');
	});

	it('a null or empty lease id means "no lease"; an unknown outcome kind is refused', async () => {
		const p = P({ consecutiveFailures: 1, resetTimeoutMs: 1000 });
		await fail('nul', p);
		c.advance(1000);
		assert.ok((await c.store.acquire('nul', p)).allowed);
		const r = await c.store.record('nul', { kind: 'success', leaseId: null as never, durationMs: Number.NaN }, p);
		assert.deepEqual([r.counted, r.view.state], [true, 'closed']);
		await assert.rejects(c.store.record('nul', { kind: 'boom' as never }, p), /Unknown breaker outcome "boom"/);
	});

	it('outcomes that arrive while open are not counted', async () => {
		const p = P({ consecutiveFailures: 1, resetTimeoutMs: 10_000 });
		await fail('late', p);
		const r = await c.store.record('late', { kind: 'success' }, p);
		assert.deepEqual([r.counted, r.view.state], [false, 'open']);
	});

	it('force open holds until reset; with a duration it half-opens after it', async () => {
		const p = P({ resetTimeoutMs: 1000 });
		const v = await c.store.forceOpen('f', p);
		assert.deepEqual([v.state, v.forced, v.openUntil], ['open', true, undefined]);
		c.advance(86_400_000);
		const a = await c.store.acquire('f', p);
		assert.equal(a.allowed, false);
		assert.equal(!a.allowed && a.retryAt, undefined);
		const r = await c.store.reset('f', p);
		assert.deepEqual([r.state, r.forced, r.calls], ['closed', false, 0]);
		assert.equal((await c.store.acquire('f', p)).allowed, true);
		const timed = await c.store.forceOpen('f2', p, 5000);
		assert.equal(timed.openUntil, timed.now + 5000);
		c.advance(5000);
		assert.equal((await c.store.getState('f2', p)).state, 'half-open');
	});

	it('a probe lease from before a reset cannot answer for a later probe', async () => {
		const p = P({ consecutiveFailures: 1, resetTimeoutMs: 1000 });
		await fail('rs', p);
		c.advance(1000);
		const old = await c.store.acquire('rs', p);
		await c.store.reset('rs', p);
		await fail('rs', p);
		c.advance(1000);
		const now = await c.store.acquire('rs', p);
		assert.ok(old.allowed && now.allowed && old.leaseId !== now.leaseId);
		const late = await c.store.record('rs', { kind: 'failure', leaseId: old.allowed ? old.leaseId : '' }, p);
		assert.deepEqual([late.counted, late.view.state], [false, 'half-open']);
	});

	it('records transitions newest first, capped at eventsCap', async () => {
		const p = P({ consecutiveFailures: 1, resetTimeoutMs: 1000, eventsCap: 4 });
		await fail('ev', p);
		c.advance(1000);
		const a = await c.store.acquire('ev', p);
		await c.store.record('ev', { kind: 'success', leaseId: a.allowed ? a.leaseId : '' }, p);
		const ev = await c.store.events('ev');
		assert.deepEqual(ev.map((e) => `${e.from}>${e.to}`), ['half-open>closed', 'open>half-open', 'closed>open']);
		assert.equal(ev[1].reason, 'open period elapsed');
		await fail('ev', p);
		await c.store.reset('ev', p);
		const capped = await c.store.events('ev');
		assert.equal(capped.length, 4);
		assert.deepEqual([capped[0].to, capped[0].reason], ['closed', 'manual reset']);
		assert.equal((await c.store.events('ev', 2)).length, 2);
	});
}
