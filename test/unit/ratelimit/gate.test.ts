// The limiter gate in the executor: short pauses are waited out (not deferred), long ones defer, and the report
// says which of rate / paused / daily-quota / retry-budget held an item back.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createClassifier, executeWithRetry, getPreset, resolvePolicy, type AttemptResult } from '../../../src';
import { EmbeddedLimiterStore, RateLimiter, type RateLimiterOptions } from '../../../src/ratelimit';
import { createEmbeddedCache } from '../../../src/store';
import { fakeTime } from '../helpers/fakeTime';
import { res } from '../helpers/responses';

const URL1 = 'https://api.example.test/v1/items/1';

function setup(o: Partial<RateLimiterOptions> = {}, presetName = 'generic') {
	const t = fakeTime();
	const store = new EmbeddedLimiterStore({ cache: createEmbeddedCache(100), clock: t.clock });
	const preset = getPreset(presetName);
	const policy = resolvePolicy(preset, { jitter: 'none' });
	const limiter = new RateLimiter({ store, preset, credentialId: 'c1', clock: t.clock, retryBudget: false, ...o });
	const classify = createClassifier({ preset, policy });
	const sent: number[] = [];
	async function run(reply: (n: number) => AttemptResult, opts: { sleep?: boolean; signal?: AbortSignal; url?: string } = {}) {
		const request = { method: 'GET', url: opts.url ?? URL1 };
		const gate = limiter.hooks(request, policy, { sleep: opts.sleep === false ? undefined : t.sleep, signal: opts.signal });
		const r = await executeWithRetry({
			request, policy, classify, clock: t.clock, sleep: t.sleep, random: () => 0.5, signal: opts.signal,
			send: async () => {
				sent.push(t.clock.now());
				return reply(sent.length);
			},
			beforeAttempt: gate.beforeAttempt,
			onAttempt: gate.onAttempt,
		});
		return { r, report: gate.report() };
	}
	return { t, store, limiter, run, sent, policy };
}

describe('limiter gate', () => {
	it('a slot booked before another item\'s 429 paused the bucket is not sent into the pause: it waits it out first', async () => {
		const { t, limiter, policy } = setup({ overrides: { ratePerSec: 1, burst: 1 } });
		const req = { method: 'GET', url: URL1 };
		await limiter.acquire(req); // the only token: the next item books a slot 1 s ahead
		let answered = false;
		// While this item waits for its slot, another item's answer arrives: 429, Retry-After 5.
		const sleep = async (ms: number, signal?: AbortSignal) => {
			await t.sleep(ms, signal);
			if (!answered) {
				answered = true;
				await limiter.observe(req, res(429, 'slow down', { 'retry-after': '5' }));
			}
		};
		const start = t.clock.now();
		const gate = limiter.hooks(req, policy, { sleep });
		assert.equal(await gate.beforeAttempt(1), undefined, 'it is sent, but only once the pause is over');
		assert.deepEqual(t.sleeps, [1000, 5000], 'its booked second, then the rest of the pause');
		assert.ok(t.clock.now() >= start + 6000);
		assert.equal(await limiter.pausedUntil(req), undefined);
	});

	it('a 429 with Retry-After: 2 pauses the bucket; the next item waits the 2 s out and is sent, not deferred', async () => {
		const { t, limiter, run, sent } = setup();
		const first = await run((n) => (n === 1 ? res(429, 'slow down', { 'retry-after': '2' }) : res(200, '{}')));
		assert.equal(first.r.outcome, 'success', 'the 429 item retried after its own wait');
		assert.equal(sent[1] - sent[0], 2000);
		// Another item's 429 paused the bucket: this one waits the pause out instead of going to Failed.
		const pausedAt = t.clock.now();
		await limiter.observe({ method: 'GET', url: URL1 }, res(429, 'slow down', { 'retry-after': '2' }));
		const next = await run(() => res(200, '{}'));
		assert.deepEqual([next.r.outcome, next.report.stoppedBy, next.report.waitedMs], ['success', undefined, 2000]);
		assert.equal(sent.at(-1), pausedAt + 2000, 'sent when the pause ended, not before');
	});

	it('without a sleep for the gate the same pause defers the item with reason paused and no request', async () => {
		const { t, limiter, run, sent } = setup();
		await limiter.observe({ method: 'GET', url: URL1 }, res(429, '', { 'retry-after': '30' }));
		const { r, report } = await run(() => res(200, '{}'), { sleep: false });
		assert.deepEqual([r.outcome, r.retryAt, sent.length], ['deferred', t.clock.now() + 30_000, 0]);
		assert.equal(report.stoppedBy, 'paused');
		assert.match(report.detail ?? '', /server asked to wait/);
	});

	it('a pause longer than the retry window defers at once with retryAt at its end', async () => {
		const { t, limiter, run, sent, policy } = setup();
		await limiter.observe({ method: 'GET', url: URL1 }, res(503, '', { 'retry-after': String(policy.maxRetryWindowMs / 1000 + 60) }));
		const { r, report } = await run(() => res(200, '{}'));
		assert.equal(r.outcome, 'deferred');
		assert.equal(r.retryAt, t.clock.now() + policy.maxRetryWindowMs + 60_000);
		assert.deepEqual([report.stoppedBy, sent.length, t.sleeps.length], ['paused', 0, 0]);
	});

	it('cancelling the execution while an item waits out a pause ends it as cancelled, without a request', async () => {
		const { limiter, run, sent } = setup();
		await limiter.observe({ method: 'GET', url: URL1 }, res(429, '', { 'retry-after': '5' }));
		const ac = new AbortController();
		ac.abort();
		const { r } = await run(() => res(200, '{}'), { signal: ac.signal });
		assert.equal(r.outcome, 'cancelled');
		assert.equal(sent.length, 0);
	});

	it('the report names the bucket and endpoint class; a slot beyond the window is stopped by rate', async () => {
		const { run } = setup({ overrides: { ratePerSec: 0.001, burst: 1 } }, 'hubspot');
		const ok = await run(() => res(200, '{}'), { url: 'https://api.hubapi.com/crm/v3/objects/contacts/1' });
		assert.deepEqual([ok.report.bucket, ok.report.stoppedBy, ok.report.ratePerSec], ['hubspot:c1', undefined, 0.001]);
		const late = await run(() => res(200, '{}'), { url: 'https://api.hubapi.com/crm/v3/objects/contacts/2' });
		assert.equal(late.report.stoppedBy, 'rate');
		const search = await run(() => res(200, '{}'), { url: 'https://api.hubapi.com/crm/v3/objects/contacts/search' });
		assert.equal(search.report.endpointClass, undefined, 'GET is not the search class (POST only)');
	});

	it('a daily quota that resets within the window is waited for; one that resets later defers with daily-quota', async () => {
		const { t, limiter, run } = setup();
		const day = (resetS: number) => res(200, '{}', { 'ratelimit-policy': '"day";q=1000;w=86400', ratelimit: `"day";r=0;t=${resetS}` });
		await limiter.observe({ method: 'GET', url: URL1 }, day(20));
		const soon = await run(() => res(200, '{}'));
		assert.equal(soon.r.outcome, 'success');
		assert.ok(soon.report.waitedMs >= 20_000, `waited ${soon.report.waitedMs}`);
		await limiter.observe({ method: 'GET', url: URL1 }, day(7200));
		const later = await run(() => res(200, '{}'));
		assert.equal(later.r.outcome, 'deferred');
		assert.equal(later.report.stoppedBy, 'daily-quota');
		assert.equal(later.r.retryAt, t.clock.now() + 7_200_000);
	});

	it('retry budget: a refused retry is reported as retry-budget with the endpoint named', async () => {
		const { run } = setup({ retryBudget: { ratio: 0.1, minRetries: 0, windowMs: 60_000 } });
		const { r, report } = await run(() => res(503, 'down'));
		assert.equal(r.outcome, 'deferred');
		assert.equal(r.attempts.length, 1, 'the first attempt went out, its retry was refused');
		assert.equal(report.stoppedBy, 'retry-budget');
		assert.match(report.detail ?? '', /retry budget of GET api\.example\.test\/v1\/items\/:id @c1 used up: 0 retries for 1 requests/);
	});
});
