// A dead letter built from what Resilient HTTP puts on a Failed item: the report under json.resilience plus context.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildDeadLetter } from '../../../src/deadletter';
import { makeAttemptRecord } from '../../../src/retry/attemptRecord';
import type { AttemptResult, ExecutionResult, Verdict } from '../../../src/types';
import { buildReport, failedItem } from '../../../nodes/shared/output';

const verdict = (status: number): Verdict => ({ class: 'transient', reason: `HTTP ${status}`, rule: `status.${status}`, breakerFailure: true, warnings: [] });
const response = (status: number, body: string, headers: Record<string, string> = {}): AttemptResult => ({
	kind: 'response',
	response: { status, headers: { 'content-type': 'application/json', ...headers }, body },
} as AttemptResult);

function failedLead() {
	const t0 = Date.UTC(2026, 11, 2, 2, 47, 0);
	const attempts = [
		makeAttemptRecord(1, t0, t0 + 180, response(503, '{"message":"unavailable"}', { 'x-request-id': 'r1', 'set-cookie': 'sid=abc123456789' }), verdict(503), {}),
		makeAttemptRecord(2, t0 + 2000, t0 + 2150, response(503, 'x'.repeat(5000), { 'retry-after': '3600' }), verdict(503), { bodyExcerptChars: 5000 }),
	];
	const result: ExecutionResult = { outcome: 'deferred', verdict: verdict(503), attempts, retryAt: t0 + 3_602_150, warnings: ['Retry-After beyond the window'] };
	const report = buildReport(result, { method: 'POST', url: 'https://api.hubapi.com/crm/v3/objects/contacts?hapikey=HK-secret-123', idempotencyKey: 'wf1:lead-42' });
	return { t0, item: failedItem({ email: 'ada@example.com', campaign: 'Q4' }, report, 3).json };
}

describe('buildDeadLetter', () => {
	it('keeps everything needed to diagnose and replay, from a Failed item', () => {
		const { t0, item } = failedLead();
		const d = buildDeadLetter(item.resilience as never, {
			queue: 'hubspot-contacts',
			item,
			requestHeaders: { Authorization: 'Bearer sk-abcdefghijklmnop', 'Content-Type': 'application/json' },
			requestBody: { email: 'ada@example.com' },
			workflowId: 'wf1',
			workflowName: 'Nightly lead sync',
			executionId: '981',
			node: 'Create contact',
			itemIndex: 3,
		});
		assert.deepEqual(d.item, { email: 'ada@example.com', campaign: 'Q4' }, 'the input item without the report');
		assert.deepEqual(d.request, {
			method: 'POST',
			url: 'https://api.hubapi.com/crm/v3/objects/contacts?hapikey=[redacted]',
			headers: { Authorization: '[redacted]', 'Content-Type': 'application/json' },
			body: { email: 'ada@example.com' },
		});
		assert.deepEqual(d.classification, { outcome: 'deferred', class: 'transient', reason: 'HTTP 503', rule: 'status.503', status: 503 });
		assert.equal(d.retryAt, new Date(t0 + 3_602_150).toISOString());
		assert.deepEqual([d.firstAttemptAt, d.lastAttemptAt], [new Date(t0).toISOString(), new Date(t0 + 2150).toISOString()]);
		assert.deepEqual(d.attempts.map((a) => [a.attempt, a.status, a.durationMs]), [[1, 503, 180], [2, 503, 150]]);
		assert.deepEqual(d.attempts[0].headers, { 'content-type': 'application/json', 'x-request-id': 'r1' }, 'chosen headers, no cookie');
		assert.ok(d.attempts[1].bodyExcerpt.length <= 1010, 'excerpt capped on the way in');
		assert.deepEqual(d.warnings, ['Retry-After beyond the window']);
		assert.deepEqual(
			[d.queue, d.workflowId, d.workflowName, d.executionId, d.node, d.itemIndex, d.idempotencyKey],
			['hubspot-contacts', 'wf1', 'Nightly lead sync', '981', 'Create contact', 3, 'wf1:lead-42'],
		);
	});

	it('drops the replay link of a replayed item, flags ambiguous writes and refuses a bad queue name', () => {
		const d = buildDeadLetter(
			{ outcome: 'ambiguous', class: 'ambiguous', reason: 'timeout after send', ambiguous: true, request: { method: 'POST', url: 'https://x.test/' }, attempts: [] },
			{ queue: 'q', item: { id: 1, deadLetter: { id: 'dl_1', queue: 'q' } } },
		);
		assert.deepEqual(d.item, { id: 1 });
		assert.equal(d.classification.ambiguous, true);
		assert.equal(d.firstAttemptAt, undefined);
		assert.deepEqual(d.request.headers, {});
		assert.throws(() => buildDeadLetter({ outcome: 'failed', class: 'permanent', reason: 'x', request: { method: 'GET', url: 'https://x.test' }, attempts: [] }, { queue: '', item: {} }), /queue name/);
	});
});
