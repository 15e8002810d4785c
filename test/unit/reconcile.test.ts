import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClassifier, executeWithRetry, getPreset, readJsonPath, resolvePolicy, type AttemptResult, type ReconcileOptions, type RequestFacts } from '../../src';
import { fakeTime, seq } from './helpers/fakeTime';
import { net, res, scripted } from './helpers/responses';

const POST: RequestFacts = { method: 'POST', url: 'https://api.example.com/v1/generations' };
const FOUND = res(200, { jobs: [{ id: 'job_1', status: 'succeeded', output: 'https://cdn.example.com/x.png' }] });
const RUNNING = res(200, { jobs: [{ id: 'job_1', status: 'running' }] });

function run(write: AttemptResult[], lookups: Array<AttemptResult | Error>, rc: Partial<ReconcileOptions> | null = {}, signal?: AbortSignal, onSleep?: () => void) {
	const t = fakeTime();
	const sleep: typeof t.sleep = (ms, sig) => {
		onSleep?.();
		return t.sleep(ms, sig);
	};
	const preset = getPreset('generic');
	const policy = resolvePolicy(preset, { jitter: 'additive' });
	const w = scripted(write);
	const lookupTimes: number[] = [];
	const send = async () => {
		lookupTimes.push(t.clock.now());
		const r = lookups[Math.min(lookupTimes.length - 1, lookups.length - 1)];
		if (r instanceof Error) throw r;
		return r;
	};
	const reconcile: ReconcileOptions | undefined = rc === null ? undefined : {
		send,
		foundWhen: { jsonPath: '$.jobs[0].status', equals: 'succeeded' },
		resultPath: '$.jobs[0].output',
		minIntervalMs: 5000,
		maxTries: 10,
		...rc,
	};
	const start = t.clock.now();
	const p = executeWithRetry({ request: POST, policy, classify: createClassifier({ preset, policy }), send: w.send, clock: t.clock, sleep, random: seq(0), signal, reconcile });
	return { p, t, w, lookupTimes, start };
}

test('JSONPath subset reads $.a.b[0].c and misses cleanly', () => {
	const v = { a: { b: [{ c: 7 }] } };
	assert.equal(readJsonPath(v, '$.a.b[0].c'), 7);
	assert.equal(readJsonPath(v, '$.a.b[1].c'), undefined);
	assert.equal(readJsonPath(v, '$.a.x.c'), undefined);
	assert.deepEqual(readJsonPath(v, '$'), v);
	assert.throws(() => readJsonPath(v, '$..c'), /unsupported JSONPath/);
});

test('reset after sending, found on the first lookup at once: success, one POST, reconciled result', async () => {
	const { p, t, w, lookupTimes, start } = run([net('ECONNRESET', true)], [FOUND]);
	const r = await p;
	assert.equal(r.outcome, 'success');
	assert.equal(w.calls.length, 1);
	assert.equal(lookupTimes.length, 1);
	assert.equal(lookupTimes[0], start);
	assert.deepEqual(t.sleeps, []);
	assert.deepEqual(r.reconciled, { tries: 1, result: 'https://cdn.example.com/x.png' });
	assert.equal(r.ambiguous, undefined);
	assert.equal(r.last?.kind === 'response' && r.last.response.status, 200);
	assert.deepEqual(r.attempts.map((a) => [a.class, a.lookup ?? false]), [['ambiguous', false], ['success', true]]);
});

test('without resultPath the whole body is the result; exists matches a present id', async () => {
	const { p } = run([res(502)], [res(200, { results: [{ id: 'c_1' }] })], { foundWhen: { jsonPath: '$.results[0].id', exists: true }, resultPath: undefined });
	const r = await p;
	assert.equal(r.outcome, 'success');
	assert.deepEqual(r.reconciled, { tries: 1, result: { results: [{ id: 'c_1' }] } });
});

test('found on the third lookup: lookups start minIntervalMs apart, the write is sent once', async () => {
	const { p, t, w, lookupTimes, start } = run([net('ETIMEDOUT', true)], [RUNNING, res(200, { jobs: [] }), FOUND]);
	const r = await p;
	assert.equal(r.outcome, 'success');
	assert.equal(w.calls.length, 1);
	assert.deepEqual(lookupTimes.map((x) => x - start), [0, 5000, 10000]);
	assert.deepEqual(t.sleeps, [5000, 5000]);
	assert.equal(r.reconciled?.tries, 3);
	assert.deepEqual(r.attempts.filter((a) => a.lookup).map((a) => a.rule), ['reconcile.not-found', 'reconcile.not-found', 'reconcile.found']);
});

test('a slow lookup counts toward the interval: the next one starts minIntervalMs after the previous start', async () => {
	const { p, t, lookupTimes, start } = run([res(504)], [RUNNING, FOUND], {
		send: async () => {
			lookupTimes.push(t.clock.now());
			t.advance(2000);
			return lookupTimes.length === 1 ? RUNNING : FOUND;
		},
	});
	const r = await p;
	assert.equal(r.outcome, 'success');
	assert.deepEqual(lookupTimes.map((x) => x - start), [0, 5000]);
	assert.deepEqual(t.sleeps, [3000]);
});

test('never found: ambiguous and flagged after maxTries lookups, each recorded as a lookup', async () => {
	const { p, w, lookupTimes } = run([res(500)], [RUNNING], { maxTries: 4 });
	const r = await p;
	assert.equal(r.outcome, 'ambiguous');
	assert.equal(r.ambiguous, true);
	assert.equal(w.calls.length, 1);
	assert.equal(lookupTimes.length, 4);
	assert.equal(r.reconciled, undefined);
	assert.equal(r.attempts.length, 5);
	assert.equal(r.attempts.filter((a) => a.lookup).length, 4);
	assert.equal(r.last?.kind === 'response' && r.last.response.status, 500);
	assert.equal(r.verdict?.class, 'ambiguous');
	assert.ok(r.warnings.some((x) => /4 lookup\(s\) did not find/.test(x)));
});

test('lookups stop at the retry window even when tries remain', async () => {
	const { p, lookupTimes, start } = run([res(500)], [RUNNING], { maxTries: 100, minIntervalMs: 50_000 });
	const r = await p;
	assert.equal(r.outcome, 'ambiguous');
	assert.deepEqual(lookupTimes.map((x) => x - start), [0, 50_000, 100_000]);
	assert.ok(r.warnings.some((x) => /retry window/.test(x)));
});

test('a lookup network error or 5xx counts as a try; the next lookup can still find it', async () => {
	const { p, lookupTimes } = run([net('ECONNRESET', true)], [new Error('socket hang up'), res(503), FOUND], { maxTries: 3 });
	const r = await p;
	assert.equal(r.outcome, 'success');
	assert.equal(lookupTimes.length, 3);
	assert.equal(r.reconciled?.tries, 3);
	const looks = r.attempts.filter((a) => a.lookup);
	assert.deepEqual(looks.map((a) => a.rule), ['reconcile.error', 'reconcile.error', 'reconcile.found']);
	assert.equal(looks[1].status, 503);
});

test('lookup errors use up maxTries: ambiguous after exactly maxTries', async () => {
	const { p, lookupTimes } = run([net('ECONNRESET', true)], [new Error('connect ECONNREFUSED')], { maxTries: 2 });
	const r = await p;
	assert.equal(r.outcome, 'ambiguous');
	assert.equal(lookupTimes.length, 2);
});

test('abort during the interval ends the item cancelled with no further lookup', async () => {
	const ac = new AbortController();
	const { p, t, w, lookupTimes } = run([net('ETIMEDOUT', true)], [RUNNING], {}, ac.signal, () => ac.abort());
	const r = await p;
	assert.equal(r.outcome, 'cancelled');
	assert.equal(w.calls.length, 1);
	assert.equal(lookupTimes.length, 1);
	assert.deepEqual(t.sleeps, []);
	assert.equal(r.attempts.filter((a) => a.lookup).length, 1);
});

test('no reconcile: the ambiguous POST ends ambiguous after one send, as before', async () => {
	const { p, w, t } = run([net('ECONNRESET', true)], [FOUND], null);
	const r = await p;
	assert.equal(r.outcome, 'ambiguous');
	assert.equal(r.ambiguous, true);
	assert.equal(w.calls.length, 1);
	assert.equal(r.attempts.length, 1);
	assert.deepEqual(t.sleeps, []);
	assert.equal(r.reconciled, undefined);
});

test('reconcile is not used when the write is not ambiguous (503 is retried, 400 is permanent)', async () => {
	const a = run([res(503), res(201, { id: 'x' })], [FOUND]);
	const ra = await a.p;
	assert.equal(ra.outcome, 'success');
	assert.equal(a.w.calls.length, 2);
	assert.equal(a.lookupTimes.length, 0);
	const b = run([res(400)], [FOUND]);
	assert.equal((await b.p).outcome, 'failed-permanent');
	assert.equal(b.lookupTimes.length, 0);
});

test('resendWhenNotFound: every lookup answered "not there", so the write goes out again once and succeeds', async () => {
	const { p, w, lookupTimes } = run([net('ECONNRESET', true), res(201, { id: 'c_9' })], [res(200, { jobs: [] })], { maxTries: 2, resendWhenNotFound: true, minIntervalMs: 1000 });
	const r = await p;
	assert.equal(r.outcome, 'success');
	assert.equal(w.calls.length, 2, 'the write was sent twice: once lost, once after the lookups proved it absent');
	assert.equal(lookupTimes.length, 2);
	assert.deepEqual(r.attempts.map((a) => [a.lookup ?? false, a.class]), [[false, 'ambiguous'], [true, 'ambiguous'], [true, 'ambiguous'], [false, 'success']]);
	assert.ok(r.warnings.some((x) => /2 lookup\(s\) found no trace of the write: sent again/.test(x)));
	assert.equal(r.reconciled, undefined);
});

test('resendWhenNotFound: a lookup that failed is no proof, so the write is flagged ambiguous, not resent', async () => {
	const { p, w } = run([net('ECONNRESET', true), res(201)], [res(200, { jobs: [] }), res(503)], { maxTries: 2, resendWhenNotFound: true });
	const r = await p;
	assert.equal(r.outcome, 'ambiguous');
	assert.equal(w.calls.length, 1);
});

test('resendWhenNotFound: an unreadable lookup answer is no proof either', async () => {
	const { p, w } = run([net('ETIMEDOUT', true), res(201)], [{ kind: 'response', response: { status: 200, headers: {}, body: '<html>' } }], { maxTries: 1, resendWhenNotFound: true });
	const r = await p;
	assert.equal(r.outcome, 'ambiguous');
	assert.equal(w.calls.length, 1);
});

test('resendWhenNotFound: resends count as attempts; lost again at the last attempt ends ambiguous', async () => {
	const { p, w, lookupTimes } = run([net('ECONNRESET', true)], [res(200, { jobs: [] })], { maxTries: 1, resendWhenNotFound: true, minIntervalMs: 0 });
	const r = await p;
	assert.equal(r.outcome, 'ambiguous');
	const maxAttempts = resolvePolicy(getPreset('generic'), {}).maxAttempts;
	assert.equal(w.calls.length, maxAttempts);
	assert.equal(lookupTimes.length, maxAttempts);
	assert.ok(r.warnings.some((x) => /did not find the write; flagged ambiguous/.test(x)));
});
