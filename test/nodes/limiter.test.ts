// Resilient HTTP's rate limiter, node side: parameters (errors name the parameter), what the editor shows, and the
// breaker + limiter gates together on real embedded stores with a fake clock.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { ResilientHttp } from '../../nodes/ResilientHttp/ResilientHttp.node.ts';
import { combineGates } from '../../nodes/ResilientHttp/actions/gates';
import { limiterItemGate, parseRateLimit } from '../../nodes/ResilientHttp/actions/limiter';
import { tierOptions } from '../../nodes/ResilientHttp/actions/limiter.properties';
import { describePreset, presetOptionsOf } from '../../nodes/ResilientHttp/actions/preset.properties';
import { itemBreaker } from '../../nodes/shared/breakerGate';
import { parseBreakerPolicy } from '../../nodes/shared/breakerPolicy';
import { createClassifier, executeWithRetry, getPreset, resolvePolicy, type AttemptResult } from '../../src';
import { EmbeddedLimiterStore, RateLimiter } from '../../src/ratelimit';
import { createEmbeddedCache, EmbeddedBreakerStore } from '../../src/store';

const param = (e: unknown) => (e as { parameter?: string }).parameter;

describe('rate limit parameters', () => {
	it("Preset's Limits: no overrides; Custom: the rate and burst; options map to the limiter", () => {
		assert.deepEqual(parseRateLimit({ mode: 'preset' }, 'hubspot'), { overrides: {}, critical: false, retryBudget: false });
		const c = parseRateLimit({ mode: 'custom', perSecond: 2.5, burst: 4, options: { critical: true, retryBudget: true, retryBudgetPercent: 20, dailyReservePercent: 10, tier: 'hubspot:private-pro', cost: 2 } }, 'hubspot');
		assert.deepEqual(c, { overrides: { ratePerSec: 2.5, burst: 4, dailyReserveShare: 0.1 }, critical: true, retryBudget: { ratio: 0.2 }, tier: 'private-pro', cost: 2 });
		assert.deepEqual(parseRateLimit({ mode: 'preset', options: { dailyReservePercent: 0, cost: 1, retryBudgetPercent: 50 } }, 'generic'), { overrides: {}, critical: false, retryBudget: false }, 'editor defaults keep the preset');
	});

	it('bad values fail naming the parameter', () => {
		const bad: Array<[Parameters<typeof parseRateLimit>[0], string, RegExp]> = [
			[{ mode: 'custom', perSecond: 0, burst: 1 }, 'rateLimitPerSecond', /above 0/],
			[{ mode: 'custom', perSecond: 'x', burst: 1 }, 'rateLimitPerSecond', /got "x"/],
			[{ mode: 'custom', perSecond: 1, burst: 0.5 }, 'rateLimitBurst', /at least 1/],
			[{ mode: 'fast' }, 'rateLimit', /Unknown rate limit "fast"/],
			[{ mode: 'preset', options: { tier: 'zoominfo:builder' } }, 'rateLimitOptions.tier', /belongs to another preset than hubspot/],
			[{ mode: 'preset', options: { tier: 'hubspot:gold' } }, 'rateLimitOptions.tier', /Unknown rate-limit tier "gold"/],
			[{ mode: 'preset', options: { retryBudget: true, retryBudgetPercent: 150 } }, 'rateLimitOptions.retryBudgetPercent', /0 to 100/],
			[{ mode: 'preset', options: { dailyReservePercent: 100 } }, 'rateLimitOptions.dailyReservePercent', /0 to 99/],
			[{ mode: 'preset', options: { cost: -1 } }, 'rateLimitOptions.cost', /above 0/],
		];
		for (const [raw, name, msg] of bad) assert.throws(() => parseRateLimit(raw, 'hubspot'), (e) => param(e) === name && msg.test((e as Error).message), `${name}: ${JSON.stringify(raw)}`);
		assert.throws(() => presetOptionsOf(getPreset('hubspot'), () => 'Mars/Olympus'), (e) => param(e) === 'accountTimeZone');
		assert.deepEqual(presetOptionsOf(getPreset('hubspot'), () => ' Europe/Berlin '), { accountTimeZone: 'Europe/Berlin' });
		assert.deepEqual(presetOptionsOf(getPreset('generic'), () => 'Europe/Berlin'), {}, 'only options the preset understands');
	});

	it("the editor: Preset's Limits by default, the preset notice says what it sets, tiers name their preset, a time zone for HubSpot", () => {
		const d = new ResilientHttp().description;
		const rl = d.properties.find((p) => p.name === 'rateLimit')!;
		assert.equal(rl.default, 'preset');
		assert.deepEqual((rl.options as { value: string }[]).map((o) => o.value).sort(), ['custom', 'off', 'preset']);
		assert.match(describePreset(getPreset('hubspot')), /rate limit 9\.5\/s \(burst 3\) per credential.*search 4\/s \(burst 1\).*private-pro 17\/s.*daily reserve 2 %/);
		assert.match(describePreset(getPreset('salesforce')), /rate limit no fixed rate per credential, slowed by its rate-limit headers.*daily reserve 5 %/);
		for (const t of tierOptions().filter((o) => o.value)) assert.match(String(t.value), /^(hubspot|zoominfo|stripe):/);
		const tz = d.properties.find((p) => p.name === 'accountTimeZone')!;
		assert.deepEqual(tz.displayOptions?.show, { preset: ['hubspot'] });
		const opts = (d.properties.find((p) => p.name === 'rateLimitOptions')!.options as { name: string; default: unknown }[]).map((o) => [o.name, o.default]);
		assert.deepEqual(Object.fromEntries(opts), { critical: false, dailyReservePercent: 0, tier: '', retryBudget: false, retryBudgetPercent: 10, cost: 1 });
	});
});

describe('breaker and limiter gates together (real embedded stores, fake clock)', () => {
	function rig(o: { maxAttempts?: number } = {}) {
		let now = Date.UTC(2026, 10, 2, 10, 0, 0);
		const clock = { now: () => now };
		const sleep = async (ms: number) => {
			now += ms;
		};
		const breakers = new EmbeddedBreakerStore({ namespace: 'gates', clock, cache: createEmbeddedCache(100) });
		const bpolicy = parseBreakerPolicy({ minimumCalls: 4, windowSize: 4, resetTimeoutMs: 10_000 });
		const limiterStore = new EmbeddedLimiterStore({ clock, cache: createEmbeddedCache(100) });
		const preset = getPreset('hubspot');
		const policy = resolvePolicy(preset, { maxAttempts: o.maxAttempts ?? 1, jitter: 'none' });
		const limiter = new RateLimiter({ store: limiterStore, preset, credentialId: 'c', clock, retryBudget: false });
		const classify = createClassifier({ preset, policy });
		const request = { method: 'GET', url: 'https://api.hubapi.com/crm/v3/objects/contacts/1' };
		let sent = 0;
		const run = async (reply: () => AttemptResult) => {
			const b = itemBreaker(breakers, 'GET hubspot', bpolicy, String);
			const gate = combineGates([b, limiterItemGate(limiter.hooks(request, policy, { sleep }), String)])!;
			const r = await executeWithRetry({
				request, policy, classify, clock, sleep, random: () => 0,
				send: async () => {
					sent++;
					return reply();
				},
				beforeAttempt: gate.beforeAttempt,
				onAttempt: gate.onAttempt,
			});
			return gate.finish(r);
		};
		return { run, state: async () => (await breakers.getState('GET hubspot', bpolicy)).state, sent: () => sent, advance: (ms: number) => (now += ms), limiterStore, limiter, request };
	}
	const res = (status: number, body: unknown, headers: Record<string, string> = {}): AttemptResult => ({ kind: 'response', response: { status, headers, body: JSON.stringify(body) } });

	it('quota-wait answers (HubSpot DAILY, a Retry-After beyond the window) and 429 bursts never open the breaker; 503s do', async () => {
		const a = rig();
		const daily = await a.run(() => res(429, { policyName: 'DAILY', message: 'You have reached your daily limit.' }));
		assert.equal(daily.outcome, 'deferred');
		for (let i = 0; i < 6; i++) assert.equal((await a.run(() => res(200, {}))).verdict?.rule, 'ratelimit.paused', 'the DAILY pause holds every later item back without a request');
		assert.equal(a.sent(), 1);
		const b = rig();
		for (let i = 0; i < 6; i++) {
			// Each Retry-After: 3600 pauses the bucket; reset it so every one of these answers really arrives.
			await b.limiterStore.reset('hubspot:c');
			assert.equal((await b.run(() => res(503, { message: 'busy' }, { 'retry-after': '3600' }))).verdict?.class, 'quota-wait');
		}
		await b.limiterStore.reset('hubspot:c');
		for (let i = 0; i < 6; i++) await b.run(() => res(429, { policyName: 'TEN_SECONDLY_ROLLING' }));
		assert.equal(b.sent(), 12, 'every one was sent and answered');
		assert.equal(await a.state(), 'closed');
		const c = rig();
		for (let i = 0; i < 4; i++) await c.run(() => res(503, { message: 'down' }));
		assert.equal(await c.state(), 'open', 'control: real failures do open it');
		assert.equal(await b.state(), 'closed', `quota-wait and 429 counted as failures (sent ${b.sent()})`);
	});

	it('a limiter hold-back gives the half-open probe slot back, so the next item can probe', async () => {
		const r = rig();
		for (let i = 0; i < 4; i++) await r.run(() => res(503, {}));
		assert.equal(await r.state(), 'open');
		r.advance(10_000);
		// The bucket is paused for 10 minutes (a 429 with Retry-After: 600), longer than any wait in the window.
		await r.limiter.observe(r.request, res(429, {}, { 'retry-after': '600' }));
		const held = await r.run(() => res(200, {}));
		assert.equal(held.outcome, 'deferred');
		assert.equal(held.verdict?.rule, 'ratelimit.paused');
		assert.match(held.verdict!.reason, /Rate limiter held this item back \(paused\).*no request sent/);
		assert.equal((await r.run(() => res(200, {}))).verdict?.rule, 'ratelimit.paused', 'still held back by the limiter, not by a stuck probe');
		assert.equal(r.sent(), 4);
		await r.limiterStore.reset('hubspot:c');
		const probe = await r.run(() => res(200, {}));
		assert.equal(probe.outcome, 'success', 'the probe slot was free again');
		assert.equal(await r.state(), 'closed');
	});
});
