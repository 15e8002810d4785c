// The node's small mechanisms: idempotency keys, the shared OAuth2 refresh, the in-flight pool and the n8n transport adapters.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NodeApiError, type INode } from 'n8n-workflow';

import { SharedTokenRefresher } from '../../nodes/shared/authRefresh';
import { toLegacyOptions } from '../../nodes/shared/genericOAuth2';
import { autoIdempotencyKey, idempotencyKeyFor } from '../../nodes/shared/idempotency';
import { mapWithConcurrency } from '../../nodes/shared/pool';
import { localSleepWithAbort, sleepWithAbort } from '../../nodes/shared/sleep';
import { flattenHeaders, toHttpOptions, unwrapError } from '../../nodes/shared/transport';
import { toNetworkFailure } from '../../src';

const request = { method: 'POST', url: 'https://api.example.com/charges', qs: {}, headers: {}, body: '{"amount":5}' };
const ctx = { workflowId: 'wf1', nodeName: 'Charge', item: { id: 1 } };

describe('idempotency keys', () => {
	it('auto: UUID-shaped, identical for the same item and request, different for another item', () => {
		const a = autoIdempotencyKey(ctx, request);
		assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		assert.equal(autoIdempotencyKey({ ...ctx, item: { id: 1 } }, { ...request }), a);
		assert.notEqual(autoIdempotencyKey({ ...ctx, item: { id: 2 } }, request), a);
		assert.notEqual(autoIdempotencyKey(ctx, { ...request, body: '{"amount":6}' }), a);
	});

	it('key order inside the item does not change the key', () => {
		assert.equal(
			autoIdempotencyKey({ ...ctx, item: { a: 1, b: { c: 2, d: 3 } } }, request),
			autoIdempotencyKey({ ...ctx, item: { b: { d: 3, c: 2 }, a: 1 } }, request),
		);
	});

	it('none sends no key; custom sends the expression value', () => {
		assert.equal(idempotencyKeyFor('none', undefined, ctx, request), undefined);
		assert.equal(idempotencyKeyFor('custom', 'crm-42', ctx, request), 'crm-42');
	});
});

describe('SharedTokenRefresher', () => {
	it('items that got a 401 on the same token share one refresh', async () => {
		let calls = 0;
		const r = new SharedTokenRefresher(async () => {
			calls++;
			await new Promise((res) => setTimeout(res, 5));
		});
		const results = await Promise.all([r.refreshSince(0), r.refreshSince(0), r.refreshSince(0)]);
		assert.deepEqual(results, [true, true, true]);
		assert.equal(calls, 1);
		assert.equal(await r.refreshSince(0), true, 'a 401 on a token older than the last refresh needs none');
		assert.equal(calls, 1);
		assert.equal(await r.refreshSince(1), true, 'a 401 on the refreshed token refreshes again');
		assert.equal(calls, 2);
	});

	it('a failing refresh resolves false and reports the error', async () => {
		const errors: unknown[] = [];
		const r = new SharedTokenRefresher(async () => {
			throw new Error('token endpoint down');
		}, (e) => errors.push(e));
		assert.equal(await r.refreshSince(0), false);
		assert.equal(errors.length, 1);
		assert.equal(r.generation, 0);
	});
});

describe('mapWithConcurrency', () => {
	it('never runs more than the limit at once and keeps results in item order', async () => {
		let running = 0;
		let peak = 0;
		const out = await mapWithConcurrency(9, 3, async (i) => {
			running++;
			peak = Math.max(peak, running);
			await new Promise((res) => setTimeout(res, 9 - i));
			running--;
			return i * 10;
		});
		assert.equal(peak, 3);
		assert.deepEqual(out, [0, 10, 20, 30, 40, 50, 60, 70, 80]);
		assert.deepEqual(await mapWithConcurrency(0, 5, async () => 1), []);
	});
});

describe('transport adapters', () => {
	it('asks n8n for the full response of every status, as text, with the attempt timeout', () => {
		const o = toHttpOptions({ ...request, qs: { a: '1' }, timeoutMs: 1234 });
		assert.equal(o.ignoreHttpStatusErrors, true);
		assert.equal(o.returnFullResponse, true);
		assert.equal(o.encoding, 'text');
		assert.equal(o.timeout, 1234);
		assert.deepEqual(o.qs, { a: '1' });
		assert.equal(o.body, '{"amount":5}');
		assert.equal(toHttpOptions({ ...request, method: 'GET', timeoutMs: 1 }).body, undefined);
		// Only GET and HEAD follow redirects: a followed redirect would resend a write or turn it into a GET.
		assert.equal(toHttpOptions({ ...request, method: 'GET', timeoutMs: 1 }).disableFollowRedirect, undefined);
		for (const method of ['POST', 'PATCH', 'PUT', 'DELETE']) assert.equal(toHttpOptions({ ...request, method, timeoutMs: 1 }).disableFollowRedirect, true, method);
		const legacy = toLegacyOptions({ ...request, timeoutMs: 99 });
		assert.equal(legacy.simple, false);
		assert.equal(legacy.resolveWithFullResponse, true);
		assert.equal(legacy.uri, request.url);
	});

	it('flattens header values (arrays, AxiosHeaders-like) with lower-case names', () => {
		assert.deepEqual(flattenHeaders({ 'Retry-After': '5', 'Set-Cookie': ['a=1', 'b=2'], Nope: undefined }), {
			'retry-after': '5',
			'set-cookie': 'a=1, b=2',
		});
		assert.deepEqual(flattenHeaders({ toJSON: () => ({ 'X-A': 1 }) } as unknown as Record<string, unknown>), { 'x-a': '1' });
	});

	it("unwraps n8n's NodeApiError so the engine sees the network code", () => {
		const node = { name: 'n', type: 't', typeVersion: 1, position: [0, 0], parameters: {}, id: '1' } as INode;
		// n8n's NodeApiError drops the cause and the code; the original message survives in `messages`.
		const cases: [Error, string, boolean | 'unknown'][] = [
			[Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', isAxiosError: true }), 'ECONNRESET', true],
			[Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED', isAxiosError: true }), 'ECONNREFUSED', false],
			[Object.assign(new Error('timeout of 50ms exceeded'), { code: 'ECONNABORTED', isAxiosError: true }), 'ETIMEDOUT', true],
		];
		for (const [original, code, sent] of cases) {
			const wrapped = new NodeApiError(node, original as never);
			assert.notEqual(wrapped.message, original.message, 'n8n replaced the message');
			const failure = toNetworkFailure(unwrapError(wrapped));
			assert.equal(failure.code, code, original.message);
			assert.equal(failure.requestSent, sent);
		}
		const plain = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
		assert.equal(unwrapError(Object.assign(new Error('outer'), { cause: plain })), plain);
	});
});

describe('sleepWithAbort', () => {
	it('is always a function, whichever n8n-workflow is loaded', () => {
		assert.equal(typeof sleepWithAbort, 'function');
	});

	it('the local fallback stops a wait when the execution is cancelled', async () => {
		const ac = new AbortController();
		const started = Date.now();
		const wait = localSleepWithAbort(60_000, ac.signal);
		ac.abort();
		await assert.rejects(wait, /cancelled/);
		assert.ok(Date.now() - started < 1000);
		await assert.rejects(localSleepWithAbort(10, ac.signal), /cancelled/, 'an already-cancelled execution does not wait');
		await localSleepWithAbort(1);
	});
});

describe('idempotency key collisions and request secrets', () => {
	it('flags an item whose key an earlier item uses for a different request, not one repeating the same request', async () => {
		const { keyCollisions } = await import('../../nodes/shared/idempotency');
		const c = keyCollisions([
			{ key: 'order-', fingerprint: 'a' },
			{ key: 'order-1', fingerprint: 'b' },
			{ key: 'order-', fingerprint: 'c' },
			{ key: 'order-1', fingerprint: 'b' },
			undefined,
			{ fingerprint: 'd' },
		]);
		assert.deepEqual([...c.entries()], [[2, 0]]);
	});

	it('collects secret header, query and credential values to scrub', async () => {
		const { requestSecrets } = await import('../../nodes/shared/secrets');
		const s = requestSecrets(
			{ headers: { 'X-API-Key': 'hdr-secret-1', Accept: 'application/json' }, qs: { apiToken: 'qs-secret-2', page: '2' } },
			{ name: 'X-Custom', value: 'cred-value-3', oauthTokenData: { access_token: 'acc-tok-4', token_type: 'bearer' }, url: 'https://api.example.com' },
		);
		assert.deepEqual([...s].sort(), ['acc-tok-4', 'cred-value-3', 'hdr-secret-1', 'qs-secret-2']);
	});
});
