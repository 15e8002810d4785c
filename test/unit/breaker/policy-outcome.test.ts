import { test } from 'node:test';
import assert from 'node:assert/strict';
import { breakerOutcomeFromResult, breakerOutcomeFromVerdict, DEFAULT_BREAKER_POLICY, resolveBreakerPolicy } from '../../../src/breaker';
import type { Verdict } from '../../../src/types';

test('defaults: 50% of the last 20 calls (min 10, 60 s), open 30 s, one probe', () => {
	const p = resolveBreakerPolicy();
	assert.deepEqual(
		[p.failureRateThreshold, p.windowSize, p.minimumCalls, p.rollingWindowMs, p.resetTimeoutMs, p.halfOpenMaxProbes, p.windowType],
		[0.5, 20, 10, 60_000, 30_000, 1, 'count'],
	);
	assert.deepEqual(p, { ...DEFAULT_BREAKER_POLICY });
});

test('scenario forms: consecutive form turns the rate trip off and maps halfOpenAfterMs', () => {
	const c = resolveBreakerPolicy({ consecutiveFailures: 5, halfOpenAfterMs: 60_000 });
	assert.deepEqual([c.consecutiveFailures, c.failureRateThreshold, c.resetTimeoutMs], [5, 0, 60_000]);
	const r = resolveBreakerPolicy({ failureRateThreshold: 0.6, minimumCalls: 10, rollingWindowMs: 30_000, resetTimeoutMs: 20_000, halfOpenMaxProbes: 1 });
	assert.deepEqual([r.failureRateThreshold, r.minimumCalls, r.rollingWindowMs, r.resetTimeoutMs, r.consecutiveFailures], [0.6, 10, 30_000, 20_000, 0]);
	assert.equal(resolveBreakerPolicy({ consecutiveFailures: 3, failureRateThreshold: 0.5 }).failureRateThreshold, 0.5);
});

test('bad settings are refused with a message naming them', () => {
	assert.throws(() => resolveBreakerPolicy({ failureRateThreshold: 50 }), /failureRateThreshold/);
	assert.throws(() => resolveBreakerPolicy({ halfOpenMaxProbes: 0 }), /halfOpenMaxProbes/);
	assert.throws(() => resolveBreakerPolicy({ failureRateThreshold: 0 }), /at least one trip condition/);
	assert.throws(() => resolveBreakerPolicy({ resetTimeoutMs: 900_000 }), /maxOpenMs/);
});

const verdict = (v: Partial<Verdict>): Verdict => ({ class: 'success', reason: '', rule: '', breakerFailure: false, warnings: [], ...v });

test('only breaker failures count; 429, quota-wait and auth refreshes are ignored; 4xx is a healthy answer', () => {
	assert.deepEqual(breakerOutcomeFromVerdict(verdict({ class: 'transient', breakerFailure: true, serverWaitMs: 120_000 }), 80), { kind: 'failure', durationMs: 80, retryAfterMs: 120_000 });
	assert.equal(breakerOutcomeFromVerdict(verdict({ class: 'transient', rule: 'status.429' })).kind, 'ignored');
	assert.equal(breakerOutcomeFromVerdict(verdict({ class: 'quota-wait' })).kind, 'ignored');
	assert.equal(breakerOutcomeFromVerdict(verdict({ class: 'refresh-auth' })).kind, 'ignored');
	assert.equal(breakerOutcomeFromVerdict(verdict({ class: 'permanent' })).kind, 'success');
	assert.equal(breakerOutcomeFromVerdict(verdict({ class: 'success' })).kind, 'success');
});

test('record result from an item: 5xx and network errors fail, 429 is ignored, 4xx and 2xx succeed', () => {
	assert.equal(breakerOutcomeFromResult({ status: 503, retryAfterMs: 5000 }).retryAfterMs, 5000);
	assert.equal(breakerOutcomeFromResult({ status: 502 }).kind, 'failure');
	assert.equal(breakerOutcomeFromResult({ errorCode: 'ECONNRESET' }).kind, 'failure');
	assert.equal(breakerOutcomeFromResult({ status: 501 }).kind, 'success');
	assert.equal(breakerOutcomeFromResult({ status: 429 }).kind, 'ignored');
	assert.equal(breakerOutcomeFromResult({ status: 404 }).kind, 'success');
	assert.equal(breakerOutcomeFromResult({ status: 200, durationMs: 12 }).durationMs, 12);
});
