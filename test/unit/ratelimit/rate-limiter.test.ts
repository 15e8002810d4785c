// RateLimiter as the executor's gate: booked waits, deferral beyond the window, daily guard, quota pauses, retry budget.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createClassifier, executeWithRetry, getPreset, resolvePolicy, type AttemptResult } from '../../../src';
import { EmbeddedLimiterStore, RateLimiter, type RateLimiterOptions } from '../../../src/ratelimit';
import { createEmbeddedCache } from '../../../src/store';
import { fakeTime } from '../helpers/fakeTime';
import { res } from '../helpers/responses';

const CONTACT = 'https://api.hubapi.com/crm/v3/objects/contacts/1';

function setup(o: Partial<RateLimiterOptions> = {}, presetName = 'hubspot') {
	const t = fakeTime();
	const store = new EmbeddedLimiterStore({ cache: createEmbeddedCache(100), clock: t.clock });
	const preset = getPreset(presetName);
	const policy = resolvePolicy(preset, { jitter: 'none' });
	const limiter = new RateLimiter({ store, preset, credentialId: 'c1', clock: t.clock, retryBudget: false, ...o });
	const classify = createClassifier({ preset, policy });
	let sent = 0;
	async function run(reply: (n: number) => AttemptResult, url = CONTACT, method = 'GET') {
		const request = { method, url };
		return executeWithRetry({
			request, policy, classify, clock: t.clock, sleep: t.sleep, random: () => 0.5,
			send: async () => reply(++sent),
			...limiter.hooks(request, policy),
		});
	}
	return { t, store, limiter, run, sentCount: () => sent, policy };
}

describe('RateLimiter', () => {
	it('one bucket per preset and credential, and one per endpoint class (HubSpot search 4/s)', () => {
		const { limiter } = setup();
		assert.deepEqual(limiter.bucketFor({ method: 'GET', url: CONTACT }), { key: 'hubspot:c1', spec: { ratePerSec: 9.5, burst: 3, dailyReserveShare: 0.02 } });
		const s = limiter.bucketFor({ method: 'POST', url: 'https://api.hubapi.com/crm/v3/objects/contacts/search' });
		assert.deepEqual([s.key, s.spec.ratePerSec, s.endpointClass], ['hubspot:c1:search', 4, 'search']);
		const over = new RateLimiter({ store: new EmbeddedLimiterStore(), preset: 'hubspot', credentialId: 'c2', overrides: { ratePerSec: 5 } });
		assert.deepEqual(over.bucketFor({ method: 'GET', url: CONTACT }).spec.ratePerSec, 5);
		assert.equal(new RateLimiter({ store: new EmbeddedLimiterStore(), preset: 'hubspot', credentialId: 'c', tier: 'private-pro' }).bucketFor({ method: 'GET', url: CONTACT }).spec.ratePerSec, 17);
		assert.throws(() => new RateLimiter({ store: new EmbeddedLimiterStore(), preset: 'hubspot', credentialId: 'c', tier: 'gold' }), /Unknown rate-limit tier "gold" for hubspot. Valid tiers: private-pro/);
	});

	it('after the burst each item waits for its booked slot, spaced 1/rate apart', async () => {
		const { t, run, sentCount } = setup();
		for (let i = 0; i < 6; i++) assert.equal((await run(() => res(200, '{}'))).outcome, 'success');
		assert.equal(sentCount(), 6);
		assert.equal(t.sleeps.length, 3, 'burst 3, then one booked wait per call');
		assert.ok(t.sleeps.every((ms) => ms >= 105 && ms <= 106), `one call per 1/9.5 s: ${t.sleeps}`);
	});

	it('a slot beyond the retry window defers the item with retryAt and sends nothing', async () => {
		const { t, run, sentCount, store } = setup({ overrides: { ratePerSec: 0.001, burst: 1 } });
		await run(() => res(200, '{}'));
		const start = t.clock.now();
		const r = await run(() => res(200, '{}'));
		assert.equal(r.outcome, 'deferred');
		assert.equal(r.retryAt, start + 1_000_000);
		assert.match(r.warnings[0], /rate limit: rate 0\.001\/s: next slot in 1000000 ms; deferred/);
		assert.deepEqual([sentCount(), r.attempts.length], [1, 0]);
		assert.ok((await store.getState('hubspot:c1', { ratePerSec: 0.001, burst: 1 })).tokens < 0.01, 'the refusal booked nothing');
	});

	it('daily guard from HubSpot headers: non-critical items defer to the account midnight, critical ones still pass', async () => {
		const daily = { 'x-hubspot-ratelimit-daily': '250000', 'x-hubspot-ratelimit-daily-remaining': '5000' };
		const { t, run, limiter, store } = setup({ accountTimeZone: 'America/New_York' });
		assert.equal((await run(() => res(200, '{}', daily))).outcome, 'success');
		const r = await run(() => res(200, '{}'));
		assert.equal(r.outcome, 'deferred');
		assert.equal(r.retryAt, Date.UTC(2026, 10, 3, 5, 0, 0), 'midnight in New York');
		assert.match(r.warnings[0], /quota-wait: daily quota nearly used up: 5000 of 250000 left, the last 5000 are kept/);
		const critical = new RateLimiter({ store, preset: 'hubspot', credentialId: 'c1', clock: t.clock, critical: true, retryBudget: false });
		assert.equal((await critical.acquire({ method: 'GET', url: CONTACT })).granted, true);
		assert.ok(limiter);
	});

	it('a HubSpot DAILY 429 pauses the credential: the next items defer without a call', async () => {
		const { run, sentCount } = setup();
		const daily = res(429, { status: 'error', message: 'You have reached your daily limit.', errorType: 'RATE_LIMIT', policyName: 'DAILY' });
		const first = await run(() => daily);
		assert.equal(first.outcome, 'deferred');
		const next = await run(() => res(200, '{}'));
		assert.deepEqual([next.outcome, next.retryAt, sentCount()], ['deferred', first.retryAt, 1]);
		assert.match(next.warnings[0], /paused: quota-wait: .*daily/);
	});

	it('remaining budget with a reset spreads the calls (Outreach epoch reset)', async () => {
		const { t, run, limiter } = setup({}, 'outreach');
		const reset = String(Math.round(t.clock.now() / 1000) + 100);
		await run(() => res(200, '{}', { 'x-ratelimit-limit': '10000', 'x-ratelimit-remaining': '10', 'x-ratelimit-reset': reset }));
		const v = await limiter['o'].store.getState('outreach:c1', limiter.bucketFor({ method: 'GET', url: CONTACT }).spec);
		assert.deepEqual(v.overrides.map((o) => [o.name, o.ratePerSec]), [['requests', 0.09]], 'one now, nine over 100 s');
		await run(() => res(200, '{}'));
		await run(() => res(200, '{}'));
		assert.equal(t.sleeps.at(-1), 11_112, 'the next one waits for its share of the 100 s');
	});

	it('a bare 429 empties the bucket so the next call waits for a fresh token', async () => {
		const { t, run } = setup({}, 'generic');
		const lim = new RateLimiter({ store: new EmbeddedLimiterStore({ cache: createEmbeddedCache(10), clock: t.clock }), preset: 'zoominfo', credentialId: 'z', clock: t.clock });
		const v = await lim.observe({ method: 'GET', url: 'https://api.zoominfo.com/search' }, res(429, 'slow down'));
		assert.equal(v?.tokens, 0);
		assert.ok(run);
	});

	it('retry budget: a storm of 503s gets only its share of retries; the rest defer', async () => {
		const { run, sentCount } = setup({ retryBudget: { ratio: 0.1, minRetries: 1, windowMs: 60_000 }, overrides: { ratePerSec: 0 } });
		const outcomes: string[] = [];
		for (let i = 0; i < 20; i++) outcomes.push((await run(() => res(503, 'down'))).outcome);
		const retries = sentCount() - 20;
		assert.equal(retries, 2, '10 % of 20 requests');
		assert.ok(outcomes.filter((o) => o === 'deferred').length >= 18);
	});

	it('OpenAI: a token estimate waits for the token window the headers describe', async () => {
		const { t, limiter, store } = setup({}, 'openai');
		const req = { method: 'POST', url: 'https://api.openai.com/v1/chat/completions' };
		await limiter.observe(req, res(200, '{}', { 'x-ratelimit-limit-tokens': '30000', 'x-ratelimit-remaining-tokens': '2001', 'x-ratelimit-reset-tokens': '10s' }));
		const v = await store.getState('openai:c1:tokens', { ratePerSec: 0, burst: 100_000_000, unit: 'tokens' });
		assert.deepEqual([v.tokens, v.overrides.map((o) => o.ratePerSec)], [1, [200]], 'one token now, 2000 over 10 s');
		const policy = resolvePolicy(getPreset('openai'));
		const gate = limiter.hooks(req, policy, { tokens: 1000 });
		assert.deepEqual(await gate.beforeAttempt(1), { waitMs: 4995 }, '999 more tokens at 200/s');
		const big = await limiter.hooks(req, policy, { tokens: 30_000 }).beforeAttempt(1);
		assert.ok(big && 'stop' in big && big.stop === 'deferred' && /rate limit/.test(big.reason));
		assert.ok(t);
	});

	it('Salesforce TotalRequests (403) holds the whole org back for the hour; Sforce-Limit-Info at 96 % defers non-critical items', async () => {
		const { run, sentCount } = setup({}, 'salesforce');
		const url = 'https://acme.my.salesforce.com/services/data/v60.0/sobjects/Contact/003';
		const total = await run(() => res(403, [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]), url);
		const next = await run(() => res(200, '{}'), url);
		assert.deepEqual([total.outcome, next.outcome, next.retryAt, sentCount()], ['deferred', 'deferred', total.retryAt, 1]);
		const b = setup({}, 'salesforce');
		await b.run(() => res(200, '{}', { 'sforce-limit-info': 'api-usage=9600/10000' }), url);
		const held = await b.run(() => res(200, '{}'), url);
		assert.equal(held.outcome, 'deferred');
		assert.match(held.warnings[0], /quota-wait: daily quota nearly used up: 400 of 10000 left/);
	});
});
