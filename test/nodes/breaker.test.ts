// The breaker's node-side helpers: keys, outcomes read from items, policy parsing, store settings, the HTTP gate.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';

import { breakerKeyFrom, outcomeFromFields, outcomeFromItem, statusFromError } from '../../nodes/shared/breakerItem';
import { breakerPolicyProperty, parseBreakerPolicy } from '../../nodes/shared/breakerPolicy';
import { itemBreaker } from '../../nodes/shared/breakerGate';
import { resilienceRedisConnectionTest } from '../../nodes/shared/redisCredentialTest';
import { namespaceOf, parseStoreSettings, redisConnectionFrom } from '../../nodes/shared/stores';
import { CircuitBreaker } from '../../nodes/CircuitBreaker/CircuitBreaker.node.ts';
import { createClassifier, executeWithRetry, getPreset, resolvePolicy } from '../../src';
import { DEFAULT_BREAKER_POLICY } from '../../src/breaker';
import { createEmbeddedCache, EmbeddedBreakerStore } from '../../src/store';
import type { AttemptResult } from '../../src/types';

describe('breaker keys', () => {
	it('endpoint: method + host + route template, ids and query dropped, per account', () => {
		const a = breakerKeyFrom({ mode: 'endpoint', method: 'get', url: 'https://API.hubapi.com/crm/v3/objects/contacts/123?x=1' });
		const b = breakerKeyFrom({ mode: 'endpoint', method: 'GET', url: 'https://api.hubapi.com/crm/v3/objects/contacts/456' });
		assert.equal(a, 'GET api.hubapi.com/crm/v3/objects/contacts/:id');
		assert.equal(a, b);
		assert.equal(breakerKeyFrom({ mode: 'endpoint', method: 'GET', url: 'https://api.hubapi.com/x', account: 'p1' }), 'GET api.hubapi.com/x @p1');
	});
	it('custom: the trimmed name; empty or a bad URL is a configuration error naming the parameter', () => {
		assert.equal(breakerKeyFrom({ mode: 'custom', custom: ' hubspot ' }), 'hubspot');
		assert.throws(() => breakerKeyFrom({ mode: 'custom', custom: '  ' }), (e: { parameter?: string }) => e.parameter === 'breakerKey');
		assert.throws(() => breakerKeyFrom({ mode: 'endpoint', url: 'nope' }), (e: { parameter?: string }) => e.parameter === 'url');
		assert.throws(
			() => breakerKeyFrom({ mode: 'endpoint', url: ' ' }),
			(e: { parameter?: string; message: string }) => e.parameter === 'url' && /URL is empty/.test(e.message),
		);
	});
});

describe('outcome read from an item', () => {
	it('a Resilient HTTP report: 5xx and network failures count, 429/4xx and circuit-open do not', () => {
		const report = (outcome: string, last: Record<string, unknown>) => ({ resilience: { outcome, attempts: [{ status: 200 }, last] } });
		assert.equal(outcomeFromItem(report('failed-exhausted', { status: 503 })).kind, 'failure');
		assert.equal(outcomeFromItem(report('ambiguous', { errorCode: 'ECONNRESET' })).kind, 'failure');
		assert.equal(outcomeFromItem(report('deferred', { status: 429 })).kind, 'ignored');
		assert.equal(outcomeFromItem(report('failed-permanent', { status: 404 })).kind, 'success');
		assert.equal(outcomeFromItem({ resilience: { outcome: 'circuit-open', attempts: [] } }).kind, 'ignored');
	});
	it('statusCode / status, then error (continue-on-fail), else success', () => {
		assert.equal(outcomeFromItem({ statusCode: 502 }).kind, 'failure');
		assert.equal(outcomeFromItem({ status: 200, body: 1 }).kind, 'success');
		assert.equal(outcomeFromItem({ statusCode: 429 }).kind, 'ignored');
		assert.equal(outcomeFromItem({ error: 'Bad request - please check your parameters' }).kind, 'success', '4xx never trips');
		assert.equal(outcomeFromItem({ error: 'Service unavailable - try again later' }).kind, 'failure');
		assert.equal(outcomeFromItem({ error: 'connect ECONNREFUSED 127.0.0.1:1' }).kind, 'failure');
		assert.equal(outcomeFromItem({ error: { message: 'x', httpCode: '500' } }).kind, 'failure');
		assert.equal(outcomeFromItem({ id: 7 }).kind, 'success');
	});
	it('statusFromError reads codes and n8n friendly messages', () => {
		assert.equal(statusFromError('Request failed with status code 503'), 503);
		assert.equal(statusFromError('404 - "not here"'), 404);
		assert.equal(statusFromError('The resource you are requesting could not be found'), 404);
		assert.equal(statusFromError('Too many requests - please wait'), 429);
		assert.equal(statusFromError('socket hang up'), undefined);
	});
	it('fields: a status wins, else the error flag', () => {
		assert.equal(outcomeFromFields('503', false).kind, 'failure');
		assert.equal(outcomeFromFields('', true).kind, 'failure');
		assert.equal(outcomeFromFields(undefined, false).kind, 'success');
	});
});

describe('breaker policy parameters', () => {
	it('an empty collection is the engine default; UI defaults match the engine', () => {
		assert.deepEqual(parseBreakerPolicy({}), DEFAULT_BREAKER_POLICY);
		const opts = breakerPolicyProperty().options as Array<{ name: string; default: unknown }>;
		const d = Object.fromEntries(opts.map((o) => [o.name, o.default]));
		const raw = { ...d };
		delete raw.consecutiveFailures; // its UI default (5) is a suggestion for when it is added; the engine's is 0 = off
		assert.deepEqual(parseBreakerPolicy(raw), DEFAULT_BREAKER_POLICY);
	});
	it('percentages, consecutive-only form, and a long open duration raising the cap', () => {
		const p = parseBreakerPolicy({ failureRatePercent: 25, minimumCalls: 4 });
		assert.equal(p.failureRateThreshold, 0.25);
		assert.equal(p.minimumCalls, 4);
		const c = parseBreakerPolicy({ consecutiveFailures: 3 });
		assert.equal(c.consecutiveFailures, 3);
		assert.equal(c.failureRateThreshold, 0, 'consecutive alone replaces the rate trip');
		assert.equal(parseBreakerPolicy({ resetTimeoutMs: 3_600_000 }).maxOpenMs, 3_600_000);
	});
	it('bad values are configuration errors', () => {
		assert.throws(() => parseBreakerPolicy({ failureRatePercent: 150 }), (e: { parameter?: string }) => e.parameter === 'breakerPolicy.failureRatePercent');
		assert.throws(() => parseBreakerPolicy({ halfOpenMaxProbes: 0 }), (e: { parameter?: string; message: string }) => e.parameter === 'breakerPolicy' && /halfOpenMaxProbes/.test(e.message));
	});
});

describe('store settings', () => {
	it('namespace per workflow by default, or a global name', () => {
		const s = parseStoreSettings({});
		assert.deepEqual(s, { backend: 'embedded', scope: 'workflow', globalName: undefined, onUnreachable: 'fail' });
		assert.equal(namespaceOf(s, 'abc'), 'wf:abc');
		assert.equal(namespaceOf(parseStoreSettings({ scope: 'global', globalName: 'crm' }), 'abc'), 'crm');
		assert.equal(namespaceOf(parseStoreSettings({ scope: 'global', globalName: ' ' }), 'abc'), 'global');
		assert.throws(() => namespaceOf(parseStoreSettings({ scope: 'global', globalName: 'wf:x' }), 'a'));
		assert.throws(() => parseStoreSettings({ backend: 'memcached' }), (e: { parameter?: string }) => e.parameter === 'stateBackend');
	});
	it('credential fields become connection options with a default prefix', () => {
		const c = redisConnectionFrom({ host: ' redis.local ', port: 6380, database: 2, user: '', password: 'pw', tls: true, keyPrefix: '' });
		assert.deepEqual(c, { host: 'redis.local', port: 6380, database: 2, user: undefined, password: 'pw', tls: true, keyPrefix: 'resilience' });
		assert.throws(() => redisConnectionFrom({ host: 'x', port: 70000 }));
		assert.throws(() => redisConnectionFrom({ host: '' }));
	});
});

describe('Resilience Redis credential test', () => {
	const test = (data: Record<string, unknown>) =>
		resilienceRedisConnectionTest.call({} as never, { id: '1', name: 'r', type: 'resilienceRedisApi', data } as never);
	it('OK against the real local Redis', async () => {
		const r = await test({ host: '127.0.0.1', port: 6379, database: 0 });
		assert.deepEqual(r, { status: 'OK', message: 'Connected to Redis at 127.0.0.1:6379' });
	});
	it('a clear error for a port where nothing listens', async () => {
		const port = await new Promise<number>((res) => {
			const s = createServer().listen(0, '127.0.0.1', () => {
				const p = (s.address() as AddressInfo).port;
				s.close(() => res(p));
			});
		});
		const r = await test({ host: '127.0.0.1', port });
		assert.equal(r.status, 'Error');
		assert.match(r.message, new RegExp(`Could not reach Redis at 127.0.0.1:${port}: ECONNREFUSED`));
	});
	it('a wrong password is reported by Redis itself', async () => {
		const r = await test({ host: '127.0.0.1', port: 6379, user: 'nobody-e2e', password: 'wrong' });
		assert.equal(r.status, 'Error');
		assert.match(r.message, /WRONGPASS|NOAUTH|invalid username-password|AUTH/i);
	});
	it('the Circuit Breaker node offers it as the credential test', () => {
		const n = new CircuitBreaker();
		assert.equal(n.methods.credentialTest.resilienceRedisConnectionTest, resilienceRedisConnectionTest);
		assert.equal(n.description.credentials?.[0].testedBy, 'resilienceRedisConnectionTest');
	});
});

describe('Resilient HTTP breaker gate (real embedded store, fake clock, fake send)', () => {
	let now = 1_000_000;
	const clock = { now: () => now };
	const store = new EmbeddedBreakerStore({ namespace: 'gate-test', clock, cache: createEmbeddedCache(100) });
	const policy = parseBreakerPolicy({ minimumCalls: 4, windowSize: 4, resetTimeoutMs: 10_000 });
	const preset = getPreset('generic');
	const retry = resolvePolicy(preset, { maxAttempts: 1 });
	const classify = createClassifier({ preset, policy: retry });
	let sent = 0;
	const run = async (status: number) => {
		const gate = itemBreaker(store, 'GET x/y', policy, (e) => String(e));
		const r = await executeWithRetry({
			request: { method: 'GET', url: 'https://x/y' },
			policy: retry,
			classify,
			send: async (): Promise<AttemptResult> => {
				sent++;
				return { kind: 'response', response: { status, headers: {}, body: '' } };
			},
			clock,
			sleep: async () => undefined,
			random: () => 0,
			beforeAttempt: gate.beforeAttempt,
			onAttempt: gate.onAttempt,
		});
		return { r: gate.finish(r), summary: gate.summary() };
	};
	after(() => undefined);

	it('trips after the minimum calls, then fails items fast as circuit-open with retryAt and no request', async () => {
		for (let i = 0; i < 4; i++) assert.equal((await run(503)).r.outcome, 'failed-exhausted');
		assert.equal(sent, 4);
		const { r, summary } = await run(503);
		assert.equal(sent, 4, 'no request while open');
		assert.equal(r.outcome, 'circuit-open');
		assert.equal(r.retryAt, now + 10_000);
		assert.equal(r.verdict?.rule, 'breaker.open');
		assert.match(r.verdict!.reason, /is open: no request sent; it lets a probe through at/);
		assert.equal(summary.state, 'open');
	});
	it('a 429 never counts; after the open period one probe closes it again', async () => {
		now += 10_000;
		const probe = await run(200);
		assert.equal(probe.r.outcome, 'success');
		assert.equal(probe.summary.state, 'closed');
		for (let i = 0; i < 6; i++) await run(429);
		assert.equal((await store.getState('GET x/y', policy)).state, 'closed');
	});
});

describe('Resilient HTTP breaker gate: an item meeting a probe in flight', () => {
	let now = 2_000_000;
	const clock = { now: () => now };
	const policy = parseBreakerPolicy({ minimumCalls: 2, windowSize: 2, resetTimeoutMs: 10_000 });
	const fresh = async (name: string) => {
		const store = new EmbeddedBreakerStore({ namespace: name, clock, cache: createEmbeddedCache(10) });
		for (let i = 0; i < 2; i++) await store.record('k', { kind: 'failure' }, policy);
		now += 10_000; // open period over: the next acquire is the half-open probe
		const probe = await store.acquire('k', policy);
		assert.equal(probe.allowed && probe.probe, true);
		return { store, lease: probe.allowed ? probe.leaseId : undefined };
	};
	/** A sleep on the fake clock that, at the given total, lets the probe report `kind`. */
	const sleeper = (store: EmbeddedBreakerStore, lease: string | undefined, kind: 'success' | 'failure', atMs: number) => {
		let slept = 0;
		const sleeps: number[] = [];
		const sleep = async (ms: number) => {
			sleeps.push(ms);
			slept += ms;
			now += ms;
			if (slept >= atMs && slept - ms < atMs) await store.record('k', { kind, leaseId: lease }, policy);
		};
		return { sleep, sleeps };
	};

	it('waits for the probe and goes through once it closes the breaker', async () => {
		const { store, lease } = await fresh('probe-wait-ok');
		const s = sleeper(store, lease, 'success', 300);
		const gate = itemBreaker(store, 'k', policy, String, { sleep: s.sleep, maxWaitMs: 35_000 });
		assert.equal(await gate.beforeAttempt(1), undefined, 'allowed: no stop');
		assert.deepEqual(s.sleeps, [100, 200], 'backs off 100, 200 ms until the probe answered');
		assert.equal(gate.summary().state, 'closed');
	});

	it('ends circuit-open when the probe fails (open again: no more waiting)', async () => {
		const { store, lease } = await fresh('probe-wait-fail');
		const s = sleeper(store, lease, 'failure', 100);
		const gate = itemBreaker(store, 'k', policy, String, { sleep: s.sleep, maxWaitMs: 35_000 });
		const stop = await gate.beforeAttempt(1);
		assert.equal(stop && 'stop' in stop && stop.stop, 'circuit-open');
		assert.deepEqual(s.sleeps, [100]);
	});

	it('gives up after maxWaitMs; without a wait it is rejected at once, as before', async () => {
		const { store } = await fresh('probe-wait-timeout');
		const s = sleeper(store, undefined, 'success', Infinity);
		const waiting = itemBreaker(store, 'k', policy, String, { sleep: s.sleep, maxWaitMs: 2500 });
		const stop = await waiting.beforeAttempt(1);
		assert.equal(stop && 'stop' in stop && stop.stop, 'circuit-open');
		assert.equal(s.sleeps.reduce((a, b) => a + b, 0), 2500);
		const impatient = itemBreaker(store, 'k', policy, String);
		const now0 = now;
		const stop2 = await impatient.beforeAttempt(1);
		assert.equal(stop2 && 'stop' in stop2 && stop2.stop, 'circuit-open');
		assert.equal(now, now0);
	});
});
