// Output shaping: Success carries the body, Failed carries input + `resilience`, never a top-level error, never a secret.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NodeOperationError, type INode } from 'n8n-workflow';

import { ConfigError } from '../../nodes/shared/configError';
import { toNodeOperationError } from '../../nodes/shared/errors';
import { buildReport, configReport, failedItem, parseBody, successItem, toItemJson } from '../../nodes/shared/output';
import type { ExecutionResult } from '../../src/types';

const attempt = (n: number, status: number, body: string) => ({
	attempt: n,
	startedAt: '2026-01-01T00:00:00.000Z',
	endedAt: '2026-01-01T00:00:00.100Z',
	durationMs: 100,
	status,
	headers: {},
	bodyExcerpt: body,
	class: 'transient' as const,
	rule: 'status.503',
	reason: 'HTTP 503',
});

describe('parseBody', () => {
	it('auto-detects JSON by content type or shape, falls back to text, and never throws', () => {
		assert.deepEqual(parseBody('{"a":1}', 'auto', { 'content-type': 'application/json' }), { a: 1 });
		assert.deepEqual(parseBody('[1,2]', 'auto'), [1, 2]);
		assert.equal(parseBody('hello', 'auto', { 'content-type': 'text/plain' }), 'hello');
		assert.equal(parseBody('{broken', 'json'), '{broken');
		assert.equal(parseBody('', 'auto'), undefined);
		assert.equal(parseBody('{"a":1}', 'text'), '{"a":1}');
	});
});

describe('toItemJson', () => {
	it('wraps scalars and arrays under data and moves a top-level error aside', () => {
		assert.deepEqual(toItemJson([1, 2]), { data: [1, 2] });
		assert.deepEqual(toItemJson('ok'), { data: 'ok' });
		assert.deepEqual(toItemJson(undefined), {});
		assert.deepEqual(toItemJson({ ok: false, error: 'channel_not_found' }), { ok: false, responseError: 'channel_not_found' });
	});
});

describe('successItem', () => {
	it('is the parsed body with pairedItem', () => {
		const result: ExecutionResult = {
			outcome: 'success',
			attempts: [],
			warnings: [],
			last: { kind: 'response', response: { status: 200, headers: { 'content-type': 'application/json' }, body: '{"id":"7"}' } },
		};
		assert.deepEqual(successItem(result, 'auto', 4), { json: { id: '7' }, pairedItem: { item: 4 } });
	});
	it('JSON chosen, HTML received: still Success (the server said 200), flagged with responseWarning', () => {
		const html: ExecutionResult = { outcome: 'success', attempts: [], warnings: [], last: { kind: 'response', response: { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>proxy</html>' } } };
		assert.deepEqual(successItem(html, 'json', 0).json, { data: '<html>proxy</html>', responseWarning: 'Response Format is JSON but the body is not JSON (text/html); it is kept as text under "data"' });
		assert.deepEqual(successItem(html, 'auto', 0).json, { data: '<html>proxy</html>' }, 'Auto-Detect takes text as text');
		const empty: ExecutionResult = { ...html, last: { kind: 'response', response: { status: 204, headers: {}, body: '' } } };
		assert.deepEqual(successItem(empty, 'json', 0).json, {}, 'an empty body is not a wrong one');
	});
});

describe('failedItem', () => {
	const result: ExecutionResult = {
		outcome: 'deferred',
		verdict: { class: 'transient', reason: 'HTTP 429', rule: 'status.429', breakerFailure: false, warnings: [] },
		attempts: [attempt(1, 503, 'upstream said Bearer abcdefghijklmnop'), attempt(2, 429, '{"access_token":"tok-123456"}')],
		retryAt: Date.UTC(2026, 0, 1, 0, 5),
		warnings: ['deferred'],
	};

	it('keeps the input, adds resilience with outcome, class, retryAt (ISO), history and the redacted request', () => {
		const item = failedItem({ email: 'a@example.com' }, buildReport(result, { method: 'POST', url: 'https://api.example.com/x?api_key=SECRET1&page=2' }), 2);
		assert.equal(item.pairedItem && (item.pairedItem as { item: number }).item, 2);
		assert.equal(item.json.email, 'a@example.com');
		const r = item.json.resilience as Record<string, any>;
		assert.equal(r.outcome, 'deferred');
		assert.equal(r.class, 'transient');
		assert.equal(r.retryAt, '2026-01-01T00:05:00.000Z');
		assert.equal(r.status, 429);
		assert.equal(r.attempts.length, 2);
		assert.equal(r.request.method, 'POST');
		const text = JSON.stringify(item.json);
		for (const secret of ['SECRET1', 'abcdefghijklmnop', 'tok-123456']) assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
		assert.match(r.request.url, /page=2/);
	});

	it('flags ambiguous items and never leaves a top-level error', () => {
		const amb = buildReport({ outcome: 'ambiguous', ambiguous: true, attempts: [], warnings: [] }, { method: 'POST', url: 'https://x.example.com' });
		const item = failedItem({ error: 'from an upstream node', id: 1 }, amb, 0);
		assert.ok(!('error' in item.json));
		const r = item.json.resilience as Record<string, any>;
		assert.equal(r.ambiguous, true);
		assert.equal(r.inputError, 'from an upstream node');
	});

	it('describes a configuration problem with the parameter', () => {
		const r = configReport('url', 'Parameter "url" (item 3): bad', { method: 'GET', url: 'not a url' });
		assert.equal(r.outcome, 'invalid-configuration');
		assert.equal(r.parameter, 'url');
		assert.deepEqual(r.attempts, []);
	});
});

describe('toNodeOperationError', () => {
	const node = { name: 'Resilient HTTP', type: 'n8n-nodes-resilience.resilientHttp', typeVersion: 1, position: [0, 0], parameters: {}, id: '1' } as INode;
	it('names the parameter and the item index', () => {
		const e = toNodeOperationError(node, new ConfigError('jsonBody', 'JSON Body is not valid JSON'), 3);
		assert.ok(e instanceof NodeOperationError);
		assert.match(e.message, /Parameter "jsonBody" \(item 3\): JSON Body is not valid JSON/);
		assert.equal(e.context.itemIndex, 3);
	});
});
