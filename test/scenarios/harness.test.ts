// The player's own parts: the scripted mock must play scripts exactly, and the checks must catch broken expectations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Flow } from './flow-types';
import { checkFlow } from './checks';
import { ScriptedServer } from './mock-server';
import type { FlowRun, ItemRun } from './player';
import type { RecordedRequest } from './request-match';
import { renderTemplates, templateInstant } from './templates';

async function withServer(flow: Partial<Flow>, fn: (base: string, s: ScriptedServer) => Promise<void>): Promise<void> {
	const s = new ScriptedServer({ responses: [], ...flow } as Flow);
	const base = await s.start();
	try {
		await fn(base, s);
	} finally {
		await s.close();
	}
}

test('answers in order, repeats the repeat entry, and says "unscripted" when a list runs out', async () => {
	await withServer({ responses: [{ status: 503, body: { a: 1 } }, { status: 200, body: 'ok', repeat: true }] }, async (base) => {
		const got = [];
		for (let i = 0; i < 3; i++) got.push((await fetch(`${base}/x`)).status);
		assert.deepEqual(got, [503, 200, 200]);
	});
	await withServer({ responses: [{ status: 201, body: {} }] }, async (base, s) => {
		await fetch(`${base}/x`);
		const r = await fetch(`${base}/x`);
		assert.equal(r.status, 500);
		assert.deepEqual(await r.json(), { error: 'unscripted request' });
		assert.equal(s.requests.length, 2);
	});
});

test('a dropped connection sends no byte, and its effect still counts', async () => {
	await withServer({ responses: [{ status: null, dropConnection: true, effect: 'created' }] }, async (base, s) => {
		await assert.rejects(fetch(`${base}/v1/contacts`, { method: 'POST', body: '{}' }));
		assert.deepEqual(s.effects, { created: 1 });
		assert.equal(s.requests[0].ending, 'dropped');
		assert.equal(s.requests[0].status, undefined);
	});
});

test('rules match decoded paths, queries and JSON-escaped bodies; the rest falls back', async () => {
	const rules = [
		{ match: { method: 'POST', path: '/u/<ID>', query: { e: '<EMAIL>' }, bodyContains: '<INVALID>' }, responses: [{ status: 400, repeat: true }] },
	];
	await withServer({ responseRules: rules, responses: [{ status: 201, repeat: true }] }, async (base) => {
		const hit = await fetch(`${base}/u/%3CID%3E?e=%3CEMAIL%3E`, { method: 'POST', body: '{"t":"\\u003cINVALID\\u003e"}' });
		const miss = await fetch(`${base}/u/%3CID%3E?e=%3CEMAIL%3E`, { method: 'POST', body: '{"t":"fine"}' });
		assert.deepEqual([hit.status, miss.status], [400, 201]);
	});
});

test('a date template is sent on a whole second and rendered from that instant', async () => {
	const headers = { Date: '{{httpDate:+0s}}', 'Retry-After': '{{httpDate:+5s}}' };
	await withServer({ responses: [{ status: 503, headers }] }, async (base, s) => {
		const r = await fetch(`${base}/x`);
		const sent = s.requests[0].sentAt!;
		assert.ok(sent % 1000 < 50, `sent at ${sent % 1000} ms past the second`);
		assert.equal(Date.parse(r.headers.get('retry-after')!) - Date.parse(r.headers.get('date')!), 5000);
	});
	assert.equal(renderTemplates('{{epochSeconds:+30s}}', 1_000_500), '1030');
	assert.equal(templateInstant('{{nextUtcMidnight}}', Date.UTC(2026, 9, 21, 7)), Date.UTC(2026, 9, 22));
	assert.equal(templateInstant('{{nextMidnight:Europe/Berlin}}', Date.UTC(2026, 9, 21, 7)), Date.UTC(2026, 9, 21, 22));
});

test('with honoursIdempotencyKey, requests sharing a key cause one effect', async () => {
	const flow = { server: { honoursIdempotencyKey: true }, responses: [{ status: 201, effect: 'created', repeat: true }] };
	await withServer(flow, async (base, s) => {
		for (const key of ['k1', 'k1', 'k2']) await fetch(`${base}/c`, { method: 'POST', headers: { 'Idempotency-Key': key } });
		assert.deepEqual(s.effects, { created: 2 });
	});
});

test('the checks report wrong counts, gaps, outcomes and effects', () => {
	const flow = {
		id: 'T',
		title: 't',
		preset: 'generic',
		steps: [{ method: 'GET', path: '/x', body: null, idempotencyKey: null }],
		responses: [],
		expect: { requests: 2, outcome: 'success', gapsMs: [[1000, 2000]], sideEffects: { created: 1 }, outputs: { success: 1, error: 0 } },
	} as Flow;
	const server = new ScriptedServer(flow);
	const req = (seq: number, arrivedAt: number, endedAt: number) =>
		({ seq, arrivedAt, endedAt, method: 'GET', rawUrl: '/x', path: '/x', query: {}, headers: {}, body: '', client: '1', run: '1' }) as RecordedRequest;
	server.requests.push(req(1, 0, 10), req(2, 500, 510), req(3, 900, 910));
	const item = { client: 1, run: '1', stepIndex: 0, startedAt: 0, settledAt: 910, outcome: 'failed-exhausted', messages: [], warned: false } as ItemRun;
	const failures = checkFlow({ flow, server, start: 0, items: [item] } as FlowRun);
	assert.deepEqual(
		failures.map((f) => f.split(':')[0]),
		['requests', 'outcome (client 1)', 'gap 1 (client 1)', 'sideEffects.created', 'outputs.success', 'outputs.error'],
	);
});
