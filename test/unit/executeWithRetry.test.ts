import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClassifier, executeWithRetry, getPreset, resolvePolicy, type AttemptResult, type RequestFacts, type RetryPolicy } from '../../src';
import { settleActionFor } from '../../src/idempotency';
import { fakeTime, seq } from './helpers/fakeTime';
import { net, res, scripted } from './helpers/responses';

const GET: RequestFacts = { method: 'GET', url: 'https://api.example.com/v1/items' };
const POST: RequestFacts = { method: 'POST', url: 'https://api.example.com/v1/contacts' };

function run(results: Parameters<typeof scripted>[0], o: { request?: RequestFacts; policy?: Partial<RetryPolicy>; random?: () => number; signal?: AbortSignal; refreshAuth?: () => Promise<boolean> } = {}) {
	const t = fakeTime();
	const preset = getPreset('generic');
	const policy = resolvePolicy(preset, { jitter: 'additive', ...o.policy });
	const s = scripted(results);
	const start = t.clock.now();
	const p = executeWithRetry({
		request: o.request ?? GET,
		policy,
		classify: createClassifier({ preset, policy }),
		send: s.send,
		clock: t.clock,
		sleep: t.sleep,
		random: o.random ?? seq(0),
		signal: o.signal,
		refreshAuth: o.refreshAuth,
	});
	return { p, t, s, start };
}

test('503 then 200: one retry after the additive backoff window [1000, 2000]', async () => {
	const { p, t, s } = run([res(503, { error: 'temporarily unavailable' }), res(200, { ok: true })], { random: seq(0.5) });
	const r = await p;
	assert.equal(r.outcome, 'success');
	assert.equal(s.calls.length, 2);
	assert.deepEqual(t.sleeps, [1500]);
	assert.equal(r.attempts.length, 2);
	assert.equal(r.attempts[0].status, 503);
	assert.equal(r.attempts[0].class, 'transient');
	assert.equal(r.attempts[0].waitMs, 1500);
	assert.equal(r.attempts[1].class, 'success');
});

test('waits double and are capped at maxDelayMs; maxAttempts ends as failed-exhausted', async () => {
	const { p, t, s } = run([res(503)], { policy: { maxAttempts: 5, maxDelayMs: 3000 }, random: seq(0) });
	const r = await p;
	assert.equal(r.outcome, 'failed-exhausted');
	assert.equal(s.calls.length, 5);
	assert.deepEqual(t.sleeps, [1000, 2000, 3000, 3000]);
	assert.equal(r.attempts.length, 5);
	assert.equal(r.attempts[4].waitMs, undefined);
});

test('Retry-After seconds replaces the backoff and is slept as [wait, wait + 1000]', async () => {
	const { p, t } = run([res(429, '', { 'Retry-After': '5' }), res(200)], { random: seq(0.25) });
	const r = await p;
	assert.equal(r.outcome, 'success');
	assert.deepEqual(t.sleeps, [5250]);
});

test('Retry-After HTTP-date in the past means no wait beyond the jitter', async () => {
	const t0 = fakeTime().clock.now();
	const past = new Date(t0 - 60_000).toUTCString();
	const { p, t } = run([res(503, '', { 'Retry-After': past }), res(200)], { random: seq(0) });
	assert.equal((await p).outcome, 'success');
	assert.deepEqual(t.sleeps, [0]);
});

test('unparseable Retry-After falls back to backoff and warns', async () => {
	const { p, t } = run([res(503, '', { 'Retry-After': 'soon' }), res(200)], { random: seq(0) });
	const r = await p;
	assert.equal(r.outcome, 'success');
	assert.deepEqual(t.sleeps, [1000]);
	assert.equal(r.warnings.length, 1);
	assert.match(r.warnings[0], /Retry-After value "soon"/);
	assert.deepEqual(r.attempts[0].warnings, r.warnings);
});

test('retry-after-ms is honoured', async () => {
	const { p, t } = run([res(429, '', { 'retry-after-ms': '644' }), res(200)], { random: seq(0) });
	await p;
	assert.deepEqual(t.sleeps, [644]);
});

test('a server wait beyond maxServerWaitMs is deferred with retryAt, not slept', async () => {
	const { p, t, s, start } = run([res(503, { error: 'maintenance' }, { 'Retry-After': '3600' }), res(200)]);
	const r = await p;
	assert.equal(r.outcome, 'deferred');
	assert.equal(s.calls.length, 1);
	assert.deepEqual(t.sleeps, []);
	assert.equal(r.retryAt, start + 3_600_000);
	assert.equal(r.verdict?.class, 'quota-wait');
	assert.equal(r.verdict?.breakerFailure, false);
});

test('a wait that would end beyond the retry window is deferred', async () => {
	const { p, t, s, start } = run([res(503, '', { 'Retry-After': '50' }), res(200)], { policy: { maxRetryWindowMs: 30_000 } });
	const r = await p;
	assert.equal(r.outcome, 'deferred');
	assert.equal(s.calls.length, 1);
	assert.deepEqual(t.sleeps, []);
	assert.equal(r.retryAt, start + 50_000);
	assert.match(r.warnings.join(' '), /retry window/);
});

test('the window counts from the first attempt across several retries', async () => {
	const { p, t, s } = run([res(503)], { policy: { maxAttempts: 10, maxRetryWindowMs: 5000, maxDelayMs: 100000 }, random: seq(0) });
	const r = await p;
	// waits 1000, 2000 (t=3000), next 4000 would end at 7000 > 5000
	assert.equal(r.outcome, 'deferred');
	assert.deepEqual(t.sleeps, [1000, 2000]);
	assert.equal(s.calls.length, 3);
});

test('permanent (400) is not retried', async () => {
	const { p, s, t } = run([res(400, { message: 'email is invalid' }), res(200)]);
	const r = await p;
	assert.equal(r.outcome, 'failed-permanent');
	assert.equal(s.calls.length, 1);
	assert.deepEqual(t.sleeps, []);
	assert.match(r.verdict!.reason, /HTTP 400 Bad Request/);
});

test('POST without key: 500 and reset-after-send end ambiguous, not retried', async () => {
	for (const first of [res(500, { error: 'ERROR_UNKNOWN' }), res(502), res(504), net('ECONNRESET', true), net('ECONNABORTED', true)]) {
		const { p, s } = run([first, res(201)], { request: POST });
		const r = await p;
		assert.equal(r.outcome, 'ambiguous');
		assert.equal(r.ambiguous, true);
		assert.equal(s.calls.length, 1);
		assert.match(r.verdict!.reason, /may already have been applied/);
	}
});

test('POST without key: 429, 423, 503 and refused connections are retried', async () => {
	for (const first of [res(429), res(423), res(503), net('ECONNREFUSED', false)]) {
		const { p, s } = run([first, res(201)], { request: POST });
		assert.equal((await p).outcome, 'success');
		assert.equal(s.calls.length, 2);
	}
});

test('PATCH behaves like POST; an idempotency key, a declaration or retryNonIdempotent make it safe', async () => {
	const ambiguous = run([res(502), res(200)], { request: { method: 'PATCH', url: 'https://x.example/a' } });
	assert.equal((await ambiguous.p).outcome, 'ambiguous');
	for (const o of [
		{ request: { ...POST, idempotencyKey: 'k-1' } },
		{ request: { ...POST, declaredIdempotent: true } },
		{ request: POST, policy: { retryNonIdempotent: true } },
	]) {
		const { p, s } = run([net('ECONNRESET', true), res(201)], o);
		assert.equal((await p).outcome, 'success');
		assert.equal(s.calls.length, 2);
	}
});

test('retryServerErrors false: a 503 is not retried but a 429 is', async () => {
	const a = run([res(503), res(200)], { policy: { retryServerErrors: false } });
	assert.equal((await a.p).outcome, 'failed-exhausted');
	assert.equal(a.s.calls.length, 1);
	const b = run([res(429), res(200)], { policy: { retryServerErrors: false } });
	assert.equal((await b.p).outcome, 'success');
	assert.equal(b.s.calls.length, 2);
});

test('an abort during a wait ends the item as cancelled without another request', async () => {
	const ac = new AbortController();
	const t = fakeTime();
	const preset = getPreset('generic');
	const policy = resolvePolicy(preset);
	let calls = 0;
	const r = await executeWithRetry({
		request: GET,
		policy,
		classify: createClassifier({ preset, policy }),
		send: async () => {
			calls++;
			return res(503);
		},
		clock: t.clock,
		sleep: (ms, signal) =>
			new Promise((_resolve, reject) => {
				ac.abort();
				if (signal?.aborted) reject(new Error('aborted'));
			}),
		random: () => 0.5,
		signal: ac.signal,
	});
	assert.equal(r.outcome, 'cancelled');
	assert.equal(calls, 1);
});

test('refresh-auth: refresh once and retry once; the same 401 again is permanent', async () => {
	let refreshes = 0;
	const refreshAuth = async () => {
		refreshes++;
		return true;
	};
	const ok = run([res(401, { message: 'expired' }), res(200)], { refreshAuth });
	const r1 = await ok.p;
	assert.equal(r1.outcome, 'success');
	assert.equal(refreshes, 1);
	assert.deepEqual(ok.t.sleeps, []);
	refreshes = 0;
	const bad = run([res(401), res(401), res(200)], { refreshAuth });
	const r2 = await bad.p;
	assert.equal(r2.outcome, 'failed-permanent');
	assert.equal(refreshes, 1);
	assert.equal(bad.s.calls.length, 2);
	assert.match(r2.verdict!.reason, /after a token refresh/);
});

test('refresh-auth without a refreshable credential is permanent at once', async () => {
	const { p, s } = run([res(401), res(200)]);
	assert.equal((await p).outcome, 'failed-permanent');
	assert.equal(s.calls.length, 1);
});

test('attempt records keep chosen headers only and a capped, redacted body excerpt', async () => {
	const big = 'x'.repeat(5000);
	const { p } = run([
		res(503, `{"token":"abc.def.ghi","pad":"${big}"}`, {
			'Retry-After': '1',
			'Set-Cookie': 'sid=secret',
			Authorization: 'Bearer secret-token-123',
			'X-RateLimit-Remaining': '0',
			'x-request-id': 'req-1',
			Server: 'nginx',
		}),
		res(200),
	]);
	const r = await p;
	const a = r.attempts[0];
	assert.deepEqual(Object.keys(a.headers).sort(), ['retry-after', 'x-ratelimit-remaining', 'x-request-id']);
	assert.ok(a.bodyExcerpt.length < 600, `excerpt length ${a.bodyExcerpt.length}`);
	assert.ok(!a.bodyExcerpt.includes('abc.def.ghi'));
	assert.equal(a.durationMs, 0);
	assert.match(a.startedAt, /^2026-11-02T10:00:00/);
	assert.equal(a.rule, 'status.503');
});

test('a send that throws is mapped to a network failure and retried', async () => {
	const t = fakeTime();
	const preset = getPreset('generic');
	const policy = resolvePolicy(preset);
	let calls = 0;
	const r = await executeWithRetry({
		request: GET,
		policy,
		classify: createClassifier({ preset, policy }),
		send: async () => {
			calls++;
			if (calls === 1) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
			return res(200);
		},
		clock: t.clock,
		sleep: t.sleep,
		random: () => 0,
	});
	assert.equal(r.outcome, 'success');
	assert.equal(r.attempts[0].errorCode, 'ECONNRESET');
});

test('a rule cap counts only that rule: Salesforce UNKNOWN_EXCEPTION is retried once even after a row-lock retry', async () => {
	const t = fakeTime();
	const preset = getPreset('salesforce');
	const policy = resolvePolicy(preset, { jitter: 'none' });
	const lock = res(500, [{ message: 'unable to obtain exclusive access', errorCode: 'UNABLE_TO_LOCK_ROW' }]);
	const unknown = res(500, [{ message: 'An unexpected error occurred', errorCode: 'UNKNOWN_EXCEPTION' }]);
	const s = scripted([lock, unknown, unknown, unknown]);
	const r = await executeWithRetry({
		request: { method: 'PATCH', url: 'https://x.my.salesforce.com/services/data/v59.0/sobjects/Contact/003' },
		policy,
		classify: createClassifier({ preset, policy }),
		send: s.send,
		clock: t.clock,
		sleep: t.sleep,
		random: () => 0,
	});
	assert.equal(r.outcome, 'failed-exhausted');
	assert.equal(s.calls.length, 3);
	assert.deepEqual(r.attempts.map((a) => a.rule), ['salesforce.row-lock', 'salesforce.unknown-exception', 'salesforce.unknown-exception']);
	assert.deepEqual(t.sleeps, [500, 2000]);
});

test('beforeAttempt can stop an item without a request (circuit open) or delay it; onAttempt sees every attempt', async () => {
	const t = fakeTime();
	const preset = getPreset('generic');
	const policy = resolvePolicy(preset, { jitter: 'none' });
	const s = scripted([res(503), res(200)]);
	const seen: string[] = [];
	const r = await executeWithRetry({
		request: GET,
		policy,
		classify: createClassifier({ preset, policy }),
		send: s.send,
		clock: t.clock,
		sleep: t.sleep,
		random: () => 0,
		beforeAttempt: (n) => (n === 1 ? { waitMs: 250 } : undefined),
		onAttempt: (rec, v) => {
			seen.push(`${rec.attempt}:${v.class}:${v.breakerFailure}`);
		},
	});
	assert.equal(r.outcome, 'success');
	assert.deepEqual(t.sleeps, [250, 1000]);
	assert.deepEqual(seen, ['1:transient:true', '2:success:false']);

	const blocked = scripted([res(200)]);
	const r2 = await executeWithRetry({
		request: GET,
		policy,
		classify: createClassifier({ preset, policy }),
		send: blocked.send,
		clock: t.clock,
		sleep: t.sleep,
		random: () => 0,
		beforeAttempt: () => ({ stop: 'circuit-open', reason: 'circuit open for GET api.example.com/v1/items', retryAt: 123 }),
	});
	assert.deepEqual([r2.outcome, r2.retryAt, blocked.calls.length, r2.attempts.length], ['circuit-open', 123, 0, 0]);
	assert.match(r2.warnings[0], /circuit open/);
});

/** A send that is stopped while out: the signal fires during the request, which then ends with `outcome`. */
async function abortDuringSend(method: string, outcome: AttemptResult, idempotencyKey?: string) {
	const ac = new AbortController();
	const t = fakeTime();
	const preset = getPreset('generic');
	const policy = resolvePolicy(preset, {});
	let calls = 0;
	const r = await executeWithRetry({
		request: { method, url: 'https://api.example.com/v1/enrollments', idempotencyKey },
		policy,
		classify: createClassifier({ preset, policy }),
		send: async () => {
			calls++;
			ac.abort();
			return outcome;
		},
		clock: t.clock,
		sleep: t.sleep,
		random: () => 0.5,
		signal: ac.signal,
	});
	return { r, calls };
}

test('stopped while a POST was out: cancelled, inFlight and ambiguous, so a guard keeps the key and a replay does not resend it', async () => {
	const { r, calls } = await abortDuringSend('POST', net('ERR_CANCELED', 'unknown'));
	assert.deepEqual([r.outcome, r.inFlight, r.ambiguous, calls], ['cancelled', true, true, 1]);
	assert.equal(settleActionFor(r), 'keep');
});

test('stopped while a GET or a keyed POST was out: in flight (the guard keeps its key) but not ambiguous', async () => {
	for (const [method, key] of [['GET', undefined], ['POST', 'k-1']] as const) {
		const { r } = await abortDuringSend(method, net('ERR_CANCELED', 'unknown'), key);
		assert.deepEqual([r.outcome, r.inFlight, r.ambiguous], ['cancelled', true, undefined], method);
		assert.equal(settleActionFor(r), 'keep');
	}
});

test('stopped before the request left (connection refused): cancelled, not in flight, so the guard frees the key', async () => {
	const { r } = await abortDuringSend('POST', net('ECONNREFUSED', false));
	assert.deepEqual([r.outcome, r.inFlight, r.ambiguous], ['cancelled', undefined, undefined]);
	assert.equal(settleActionFor(r), 'release');
});

test('the answer arrived as the run was stopped: the write is done, success, and the guard completes it', async () => {
	const { r } = await abortDuringSend('POST', res(201, { id: 'ss_1' }));
	assert.equal(r.outcome, 'success');
	assert.equal(settleActionFor(r), 'complete');
});
