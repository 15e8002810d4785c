// Replay only what a resend can fix: the Sink's Replay Classes parameter, and the class Resilient HTTP reports for each
// way an item can fail (circuit open, deferred, exhausted, held back, cancelled), which decides whether it is replayed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IExecuteFunctions } from 'n8n-workflow';

import { DeadLetterSink } from '../../nodes/DeadLetterSink/DeadLetterSink.node.ts';
import { filterOf } from '../../nodes/DeadLetterSink/actions/filter.properties';
import { replayClassesOf } from '../../nodes/DeadLetterSink/actions/replay.operation';
import { CLASSES } from '../../nodes/DeadLetterSink/actions/write.operation';
import { combineGates } from '../../nodes/ResilientHttp/actions/gates';
import { limiterItemGate } from '../../nodes/ResilientHttp/actions/limiter';
import { itemBreaker } from '../../nodes/shared/breakerGate';
import { parseBreakerPolicy } from '../../nodes/shared/breakerPolicy';
import { buildReport } from '../../nodes/shared/output';
import { createClassifier, executeWithRetry, getPreset, resolvePolicy, type AttemptResult, type ExecutionResult } from '../../src';
import { RESENDABLE_CLASSES } from '../../src/deadletter';
import { EmbeddedLimiterStore, RateLimiter } from '../../src/ratelimit';
import { createEmbeddedCache, EmbeddedBreakerStore } from '../../src/store';

const ctxWith = (value: unknown) => ({ getNodeParameter: (_n: string, _i: number, fallback: unknown) => (value === undefined ? fallback : value) }) as unknown as IExecuteFunctions;
const parameterOf = (f: () => unknown) => {
	try {
		f();
	} catch (e) {
		return [(e as { parameter?: string }).parameter, (e as Error).message];
	}
	return undefined;
};

describe('Dead Letter Sink: Replay Classes', () => {
	const p = new DeadLetterSink().description.properties.find((x) => x.name === 'replayClasses')!;
	it('a multi-select under Replay, defaulting to transient, quota wait and refresh auth, with an option for all', () => {
		assert.equal(p.type, 'multiOptions');
		assert.deepEqual(p.displayOptions?.show?.operation, ['replay']);
		assert.deepEqual(p.default, ['transient', 'quota-wait', 'refresh-auth']);
		assert.deepEqual(p.default, [...RESENDABLE_CLASSES]);
		const values = (p.options as { value: string }[]).map((o) => o.value);
		assert.deepEqual(values.sort(), ['any', ...CLASSES].sort());
		assert.match(String(p.description), /permanent \(the same request fails the same way: fix the data first\)/);
		assert.match(String(p.description), /ambiguous \(a write that may already have been applied: look it up first/);
	});
	it('reads the choice: the default, a list or comma text from an expression, All Classes as no filter; empty or unknown names the parameter', () => {
		assert.deepEqual(replayClassesOf(ctxWith(undefined), 0), ['transient', 'quota-wait', 'refresh-auth']);
		assert.deepEqual(replayClassesOf(ctxWith(['ambiguous']), 0), ['ambiguous']);
		assert.deepEqual(replayClassesOf(ctxWith('permanent, transient'), 0), ['permanent', 'transient']);
		assert.equal(replayClassesOf(ctxWith(['transient', 'any']), 0), undefined);
		assert.deepEqual(parameterOf(() => replayClassesOf(ctxWith([]), 0)), ['replayClasses', 'No class chosen: pick the classes to replay, or All Classes']);
		assert.equal(parameterOf(() => replayClassesOf(ctxWith(['transiant']), 0))?.[0], 'replayClasses');
		assert.deepEqual(replayClassesOf(ctxWith('Transient, Quota Wait'), 0), ['transient', 'quota-wait']);
	});

	it('the Class filter of List, Resolve and Discard: the editor\'s labels mean their value, a typo stops the node', () => {
		const ctx = (p: Record<string, unknown>) => ({ getNodeParameter: (n: string, _i: number, fallback: unknown) => (n in p ? p[n] : fallback) }) as unknown as IExecuteFunctions;
		assert.equal(filterOf(ctx({ classFilter: 'Transient' }), 0, false).class, 'transient');
		assert.equal(filterOf(ctx({ classFilter: ' quota wait ' }), 0, false).class, 'quota-wait');
		assert.equal(filterOf(ctx({ classFilter: '' }), 0, false).class, undefined);
		// A filter nothing can match would make a scheduled "Discard Permanent After 7 Days" a silent no-op forever.
		const [parameter, message] = parameterOf(() => filterOf(ctx({ classFilter: 'transiant' }), 0, false)) ?? [];
		assert.equal(parameter, 'classFilter');
		assert.match(String(message), /^Unknown class "transiant": use permanent, transient, quota-wait/);
	});
});

describe('the class Resilient HTTP reports, which the default replay takes or leaves', () => {
	let now = Date.UTC(2026, 11, 3, 2, 47);
	const clock = { now: () => now };
	const sleep = async (ms: number) => void (now += ms);
	const res = (status: number, body: unknown = {}, headers: Record<string, string> = {}): AttemptResult => ({ kind: 'response', response: { status, headers, body: JSON.stringify(body) } });
	const reset = (): AttemptResult => ({ kind: 'network', error: { code: 'ECONNRESET', message: 'socket hang up', requestSent: true } });
	const get = { method: 'GET', url: 'https://api.example.com/v1/leads/1' };

	async function run(reply: () => AttemptResult, o: { request?: { method: string; url: string }; policy?: Record<string, number>; gate?: ReturnType<typeof itemBreaker>; signal?: AbortSignal } = {}) {
		const preset = getPreset('generic');
		const policy = resolvePolicy(preset, { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 100, jitter: 'none', ...o.policy });
		const request = o.request ?? get;
		const r: ExecutionResult = await executeWithRetry({
			request, policy, classify: createClassifier({ preset, policy }), clock, sleep, random: () => 0, send: async () => reply(),
			beforeAttempt: o.gate?.beforeAttempt, onAttempt: o.gate?.onAttempt, signal: o.signal,
		});
		return buildReport(o.gate ? o.gate.finish(r) : r, request);
	}

	it('exhausted retries, a retry window too short for the next try, an open circuit, a limiter hold-back and a cancelled run: all in the default', async () => {
		const exhausted = await run(() => res(503));
		const window = await run(() => res(503), { policy: { baseDelayMs: 5000, maxDelayMs: 5000, maxRetryWindowMs: 1000 } });
		const breakers = new EmbeddedBreakerStore({ namespace: 'replay-classes', clock, cache: createEmbeddedCache(10) });
		const bpolicy = parseBreakerPolicy({ minimumCalls: 2, windowSize: 2, resetTimeoutMs: 60_000 });
		for (let i = 0; i < 2; i++) await run(() => res(503), { gate: itemBreaker(breakers, 'leads', bpolicy, String), policy: { maxAttempts: 1 } });
		const open = await run(() => res(200), { gate: itemBreaker(breakers, 'leads', bpolicy, String) });
		const limiter = new RateLimiter({ store: new EmbeddedLimiterStore({ clock, cache: createEmbeddedCache(10) }), preset: getPreset('hubspot'), credentialId: 'c', clock, retryBudget: false });
		const hubspot = { method: 'GET', url: 'https://api.hubapi.com/crm/v3/objects/contacts/1' };
		await limiter.observe(hubspot, res(429, {}, { 'retry-after': '3600' }));
		const held = combineGates([limiterItemGate(limiter.hooks(hubspot, resolvePolicy(getPreset('hubspot'), {}), { sleep }), String)])!;
		const heldBack = await run(() => res(200), { request: hubspot, gate: held as ReturnType<typeof itemBreaker> });
		const stopped = new AbortController();
		stopped.abort();
		const cancelled = await run(() => res(200), { signal: stopped.signal });
		const seen = { exhausted, window, open, heldBack, cancelled };
		assert.deepEqual(Object.fromEntries(Object.entries(seen).map(([k, r]) => [k, [r.outcome, r.class]])), {
			exhausted: ['failed-exhausted', 'transient'],
			window: ['deferred', 'transient'],
			open: ['circuit-open', 'transient'],
			heldBack: ['deferred', 'quota-wait'],
			cancelled: ['cancelled', 'transient'],
		});
		for (const [k, r] of Object.entries(seen)) assert.ok(RESENDABLE_CLASSES.includes(r.class), `${k}: ${r.class}`);
	});

	it('a bad request and a write that may have been applied stay out of it', async () => {
		const bad = await run(() => res(400, { message: 'invalid email' }));
		const post = await run(reset, { request: { method: 'POST', url: 'https://api.example.com/v1/enrollments' } });
		assert.deepEqual([bad.outcome, bad.class, post.outcome, post.class, post.ambiguous], ['failed-permanent', 'permanent', 'ambiguous', 'ambiguous', true]);
		for (const r of [bad, post]) assert.ok(!RESENDABLE_CLASSES.includes(r.class));
	});
});
