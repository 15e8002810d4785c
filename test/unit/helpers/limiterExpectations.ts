// Fixture expectations that concern the rate limiter, checked against the real RateLimiter on an embedded store
// with a fake clock: proactiveLimit (a client-side cap from now on) and budget (what the limiter does next).
import assert from 'node:assert/strict';
import { createClassifier, executeWithRetry, getPreset, resolvePolicy, type AttemptResult } from '../../../src';
import { EmbeddedLimiterStore, RateLimiter } from '../../../src/ratelimit';
import { createEmbeddedCache } from '../../../src/store';
import { fakeTime } from './fakeTime';

const OK: AttemptResult = { kind: 'response', response: { status: 200, headers: {}, body: '{}' } };

function limiterFor(preset: string, now: number, critical = false) {
	const t = fakeTime(now);
	const store = new EmbeddedLimiterStore({ cache: createEmbeddedCache(100), clock: t.clock });
	const make = (c: boolean) => new RateLimiter({ store, preset, credentialId: 'fixture', clock: t.clock, retryBudget: false, critical: c });
	return { t, limiter: make(critical), critical: make(true) };
}

/** Sends `n` items through the executor gated by the limiter; returns when each request went out. */
async function sendTimes(preset: string, limiter: RateLimiter, t: ReturnType<typeof fakeTime>, method: string, url: string, n: number): Promise<number[]> {
	const p = getPreset(preset);
	const policy = resolvePolicy(p, { jitter: 'none' });
	const classify = createClassifier({ preset: p, policy });
	const times: number[] = [];
	for (let i = 0; i < n; i++) {
		const request = { method, url };
		const gate = limiter.hooks(request, policy, { sleep: t.sleep });
		const r = await executeWithRetry({
			request, policy, classify, clock: t.clock, sleep: t.sleep, random: () => 0.5,
			send: async () => {
				times.push(t.clock.now());
				return OK;
			},
			beforeAttempt: gate.beforeAttempt,
			onAttempt: gate.onAttempt,
		});
		assert.equal(r.outcome, 'success', `item ${i} ${r.outcome}: ${r.warnings.join('; ')}`);
	}
	return times;
}

/** Most requests that went out within any `windowMs` (start inclusive). */
export function maxInWindow(times: number[], windowMs: number): number {
	let best = 0;
	for (let i = 0, j = 0; j < times.length; j++) {
		while (times[j] - times[i] >= windowMs) i++;
		best = Math.max(best, j - i + 1);
	}
	return best;
}

/** "POST /crm/v3/objects/* /search" → a request line of that shape, with `*` filled in. */
function requestOf(appliesTo: string, fill: string): { method: string; url: string } {
	const [method, path] = appliesTo.split(/\s+/);
	return { method, url: `https://api.example.test${path.replace(/\*/g, fill)}` };
}

/** After the fixture response, every request the pattern names stays at or under requestsPerSecond in any second. */
export async function checkProactiveLimit(preset: string, now: number, request: { method: string; url: string }, response: AttemptResult, want: { requestsPerSecond: number; appliesTo: string }): Promise<void> {
	const { t, limiter } = limiterFor(preset, now);
	await limiter.observe(request, response);
	for (const fill of ['contacts', 'companies']) {
		const r = requestOf(want.appliesTo, fill);
		assert.ok(limiter.bucketFor(r).endpointClass, `${r.method} ${r.url} has its own bucket`);
		const times = await sendTimes(preset, limiter, t, r.method, r.url, 40);
		const most = maxInWindow(times, 1000);
		assert.ok(most <= want.requestsPerSecond, `${most} requests in one second to ${want.appliesTo} (cap ${want.requestsPerSecond})`);
		const rate = ((times.length - 1) * 1000) / (times.at(-1)! - times[0]);
		assert.ok(rate >= want.requestsPerSecond * 0.7, `sustained ${rate.toFixed(2)}/s: the cap should not starve the endpoint`);
	}
	// Other endpoints of the credential are not held to the class's cap.
	const other = await sendTimes(preset, limiter, t, 'GET', 'https://api.example.test/crm/v3/objects/contacts/1', 40);
	assert.ok(maxInWindow(other, 1000) > want.requestsPerSecond, 'the cap applies to its endpoint class only');
}

/** What the limiter does after the response whose budget the fixture describes. */
export async function checkBudgetOnLimiter(preset: string, now: number, request: { method: string; url: string }, response: AttemptResult, budget: { known?: boolean; pause?: boolean; pauseNonCritical?: boolean }): Promise<void> {
	const { limiter, critical } = limiterFor(preset, now);
	await limiter.observe(request, response);
	const normal = await limiter.acquire(request, { maxWaitMs: 60_000 });
	const vip = await critical.acquire(request, { maxWaitMs: 60_000 });
	if (budget.pause) {
		assert.equal(normal.granted || vip.granted, false, 'an exhausted budget stops everyone');
	} else if (budget.pauseNonCritical) {
		assert.equal(normal.granted, false, 'non-critical traffic is held back');
		assert.equal(!normal.granted && normal.reason, 'daily-quota');
		assert.equal(vip.granted, true, 'critical traffic may use the reserve');
	} else {
		assert.equal(normal.granted, true, 'missing headers are not read as zero remaining');
	}
	if (budget.known === false) {
		const view = await limiter['o'].store.getState(limiter.bucketFor(request).key, limiter.bucketFor(request).spec);
		assert.equal(view.daily, undefined, 'no daily budget invented');
		assert.ok(view.ratePerSec > 0, 'the local limiter keeps pacing');
	}
}
