// Contract cases for a closed breaker: windows, trip conditions, keys, listing, atomic counting.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { BreakerContractContext } from './breaker-store.contract';

export function closedBreakerCases(c: BreakerContractContext): void {
	const { P, fail, seq } = c;
	it('a new breaker is closed and allows calls without a probe lease', async () => {
		const p = P();
		const a = await c.store.acquire('new', p);
		assert.equal(a.allowed, true);
		assert.equal(a.allowed && a.probe, false);
		const v = await c.store.getState('new', p);
		assert.deepEqual([v.state, v.calls, v.failures, v.trips, v.key], ['closed', 0, 0, 0, 'new']);
	});

	it('trips after exactly N consecutive failures; a success in between starts the count again', async () => {
		const p = P({ consecutiveFailures: 3, halfOpenAfterMs: 10_000 });
		await fail('c', p, 2);
		await c.store.record('c', { kind: 'success' }, p);
		const r = await fail('c', p, 2);
		assert.equal(r[1].view.state, 'closed');
		assert.equal(r[1].view.consecutiveFailures, 2);
		const trip = await c.store.record('c', { kind: 'failure' }, p);
		assert.equal(trip.view.state, 'open');
		assert.equal(trip.transition?.to, 'open');
		assert.match(trip.transition!.reason, /3 consecutive failures/);
		assert.equal(trip.view.openUntil, trip.transition!.at + 10_000);
		const a = await c.store.acquire('c', p);
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
		await seq(6, () => c.store.record('t', { kind: 'success' }, p));
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
		await seq(4, () => c.store.record('w', { kind: 'success' }, p));
		const two = await fail('w', p, 2);
		assert.deepEqual([two[1].view.state, two[1].view.calls, two[1].view.failures], ['closed', 4, 2]);
		const third = await fail('w', p, 1);
		assert.equal(third[0].view.state, 'open');
	});

	it('a count window drops calls older than rollingWindowMs', async () => {
		const p = P({ failureRateThreshold: 0.5, minimumCalls: 4, windowSize: 20, rollingWindowMs: 60_000 });
		await fail('age', p, 3);
		c.advance(61_000);
		assert.equal((await c.store.getState('age', p)).calls, 0);
		const r = await fail('age', p, 1);
		assert.deepEqual([r[0].view.state, r[0].view.calls], ['closed', 1]);
	});

	it('a time window counts every call of the last rollingWindowMs', async () => {
		const p = P({ windowType: 'time', rollingWindowMs: 10_000, failureRateThreshold: 0.5, minimumCalls: 30 });
		await seq(25, () => c.store.record('tw', { kind: 'success' }, p));
		const r = await fail('tw', p, 24);
		assert.deepEqual([r[23].view.calls, r[23].view.state], [49, 'closed'], '24 of 49 < 50%');
		c.advance(12_000);
		assert.equal((await c.store.getState('tw', p)).calls, 0, 'all calls aged out');
		await seq(20, () => c.store.record('tw', { kind: 'success' }, p));
		const trip = await fail('tw', p, 20);
		assert.equal(trip[19].view.state, 'open', '20 of 40 = 50%, old calls forgotten');
		assert.equal(trip[18].view.state, 'closed');
	});

	it('ignored outcomes (429, quota) count nowhere', async () => {
		const p = P({ consecutiveFailures: 2, minimumCalls: 2 });
		const r = await seq(10, () => c.store.record('ign', { kind: 'ignored' }, p));
		assert.equal(r[9].counted, false);
		const v = await c.store.getState('ign', p);
		assert.deepEqual([v.state, v.calls], ['closed', 0]);
	});

	it('a slow-call rate trips the breaker even when every call succeeds', async () => {
		const p = P({ failureRateThreshold: 0, slowCallDurationMs: 2000, slowCallRateThreshold: 0.5, minimumCalls: 4 });
		await seq(2, () => c.store.record('slow', { kind: 'success', durationMs: 100 }, p));
		const r = await seq(2, () => c.store.record('slow', { kind: 'success', durationMs: 2500 }, p));
		assert.equal(r[1].view.state, 'open');
		assert.match(r[1].transition!.reason, /slow-call rate 50% over 4 calls/);
	});

	it('breakers are independent per key', async () => {
		const p = P({ consecutiveFailures: 1 });
		await fail('GET api.x.com/contacts/:id', p);
		assert.equal((await c.store.getState('GET api.x.com/contacts/:id', p)).state, 'open');
		assert.equal((await c.store.acquire('POST api.x.com/contacts', p)).allowed, true);
	});

	it('lists the breakers that hold state, with their effective state', async () => {
		const p = P({ consecutiveFailures: 1, resetTimeoutMs: 1000 });
		assert.deepEqual(await c.store.list(p), []);
		await fail('GET a/:id', p);
		await c.store.record('GET b/:id', { kind: 'success' }, p);
		await c.store.forceOpen('GET c', p);
		c.advance(1000);
		const all = (await c.store.list(p)).map((v) => `${v.key}=${v.state}`).sort();
		assert.deepEqual(all, ['GET a/:id=half-open', 'GET b/:id=closed', 'GET c=open']);
		assert.equal((await c.store.list(p, 2)).length, 2);
	});

	it('concurrent records are each counted once (no lost update)', async () => {
		const p = P({ consecutiveFailures: 1000, failureRateThreshold: 0 });
		await Promise.all(Array.from({ length: 40 }, () => c.store.record('many', { kind: 'failure' }, p)));
		assert.equal((await c.store.getState('many', p)).consecutiveFailures, 40);
	});
}
