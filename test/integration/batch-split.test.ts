// Split Batch Results on loopback: a real server answers a batch of 100 with 97 successes, 2 rate-limited records and
// 1 invalid one; the real executor and classifier run, and the node's splitter routes every record on its own.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAxiosSend, createClassifier, executeWithRetry, getPreset, realClock, realSleep, resolvePolicy } from '../../src';
import { splitBatch } from '../../nodes/ResilientHttp/actions/batch';
import { routeItem } from '../../nodes/ResilientHttp/actions/route';

const RATE_LIMITED = new Set([17, 58]);
const INVALID = 71;

/** HubSpot batch create (207 with objectWriteTraceId), Salesforce sObject collections (200, index-aligned), GraphQL. */
function batchMock() {
	let requests = 0;
	const server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (c) => (raw += c)).on('end', () => {
			requests++;
			res.setHeader('content-type', 'application/json');
			if (req.url === '/graphql') {
				return res.end(JSON.stringify({ data: { a: { id: 'A1' }, b: null }, errors: [{ message: 'b: not allowed', path: ['b'], extensions: { code: 'FORBIDDEN' } }] }));
			}
			if (req.url?.startsWith('/services/')) {
				const { records } = JSON.parse(raw) as { records: Array<{ Name: string }> };
				return res.end(JSON.stringify(records.map((r, i) =>
					RATE_LIMITED.has(i) ? { success: false, errors: [{ statusCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record' }] }
					: i === INVALID ? { success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Name]', fields: ['Name'] }] }
					: { id: `001${String(i).padStart(3, '0')}`, success: true, errors: [] })));
			}
			const { inputs } = JSON.parse(raw) as { inputs: Array<{ objectWriteTraceId: string; properties: { email: string } }> };
			const results: unknown[] = [];
			const errors: unknown[] = [];
			inputs.forEach((input, i) => {
				const ctx = { objectWriteTraceId: [input.objectWriteTraceId] };
				if (RATE_LIMITED.has(i)) errors.push({ status: 'error', category: 'RATE_LIMITS', message: 'You have reached your ten_secondly_rolling limit.', context: ctx });
				else if (i === INVALID) errors.push({ status: 'error', category: 'VALIDATION_ERROR', message: `Property values were not valid: ${input.properties.email} is not a valid email address`, context: ctx });
				else results.push({ id: String(1000 + i), properties: input.properties, objectWriteTraceId: input.objectWriteTraceId });
			});
			res.statusCode = 207;
			res.end(JSON.stringify({ status: 'COMPLETE', results, numErrors: errors.length, errors, startedAt: new Date().toISOString(), completedAt: new Date().toISOString() }));
		});
	});
	return { server, requests: () => requests };
}

async function send(base: string, preset: string, method: string, path: string, body: unknown) {
	const p = getPreset(preset);
	const policy = resolvePolicy(p);
	const request = { method, url: `${base}${path}` };
	const text = JSON.stringify(body);
	const result = await executeWithRetry({
		request, policy, classify: createClassifier({ preset: p, policy }),
		send: createAxiosSend({ ...request, body: text, headers: { 'content-type': 'application/json' }, timeoutMs: 5000 }),
		clock: realClock, sleep: realSleep, random: Math.random,
	});
	return { result, request, text };
}

describe('Split Batch Results: every record of a batch is routed on its own', () => {
	const mock = batchMock();
	let base = '';
	before(async () => {
		await new Promise<void>((r) => mock.server.listen(0, '127.0.0.1', r));
		base = `http://127.0.0.1:${(mock.server.address() as AddressInfo).port}`;
	});
	after(() => new Promise((r) => mock.server.close(r)));

	it('HubSpot 207, 100 records: 97 Success items, 2 rate-limited deferred with retryAt, 1 invalid permanent, all paired to the input', async () => {
		const inputs = Array.from({ length: 100 }, (_, i) => ({ objectWriteTraceId: `t${i}`, properties: { email: i === INVALID ? 'not-an-email' : `lead${i}@example.com` } }));
		const before = mock.requests();
		const { result, request, text } = await send(base, 'hubspot', 'POST', '/crm/v3/objects/contacts/batch/create', { inputs });
		assert.equal(mock.requests() - before, 1, 'a partial batch is not resent (that would create the 97 again)');
		assert.equal(result.outcome, 'partial');
		assert.match(result.verdict!.reason, /3 of 100 records failed \(2 transient, 1 permanent\)/);
		const split = splitBatch({ input: { campaign: 'C7' }, i: 4, result, request, body: text })!;
		assert.equal(split.success.length, 97);
		assert.equal(split.failed.length, 3);
		assert.ok([...split.success, ...split.failed].every((x) => x.pairedItem && (x.pairedItem as { item: number }).item === 4));
		assert.ok(split.success.every((x) => typeof x.json.id === 'string' && !('error' in x.json) && !('resilience' in x.json)));
		assert.deepEqual(new Set(split.success.map((x) => x.json.objectWriteTraceId)).size, 97);
		const byTrace = Object.fromEntries(split.failed.map((x) => [(x.json.resilience as { record: { id: string } }).record.id, x.json.resilience as Record<string, any>]));
		assert.deepEqual(Object.keys(byTrace).sort(), ['t17', 't58', 't71']);
		for (const t of ['t17', 't58']) {
			const r = byTrace[t];
			assert.deepEqual([r.outcome, r.class, r.rule], ['deferred', 'transient', 'record.rate-limited']);
			const wait = Date.parse(r.retryAt) - Date.parse(r.attempts[0].endedAt);
			assert.ok(wait >= 1000 && wait < 5000, `retryAt ${wait} ms after the answer`);
			assert.equal(r.record.sent.objectWriteTraceId, t, 'the record it sent, so a replay can send just this one');
			assert.equal(r.batch.records, 100);
			assert.equal(r.batch.succeeded, 97);
		}
		const bad = byTrace.t71;
		assert.deepEqual([bad.outcome, bad.class, bad.retryAt], ['failed-permanent', 'permanent', undefined]);
		assert.match(bad.reason, /^record 72 of 100 \(t71\): Property values were not valid: not-an-email/, "numbered as sent, not as answered");
		assert.equal(bad.record.sent.properties.email, 'not-an-email');
		assert.equal(split.failed[0].json.campaign, 'C7', 'the input item is kept');
	});

	it('without the option the batch stays one item: Failed as partial with the record list', async () => {
		const inputs = Array.from({ length: 100 }, (_, i) => ({ objectWriteTraceId: `t${i}`, properties: { email: `x${i}@example.com` } }));
		const { result, request } = await send(base, 'hubspot', 'POST', '/crm/v3/objects/contacts/batch/create', { inputs });
		const routed = routeItem({ input: {}, i: 0, facts: request, format: 'auto', result, treatConflictAsResolved: false });
		assert.equal(routed.output, 'failed');
		const rep = routed.item.json.resilience as { outcome: string; records: Array<{ class: string }> };
		assert.equal(rep.outcome, 'partial');
		assert.deepEqual([rep.records.length, rep.records.filter((r) => r.class === 'success').length], [100, 97]);
	});

	it('Salesforce collections: row-locked records are transient, the missing field permanent, each with the record it sent (by position)', async () => {
		const records = Array.from({ length: 100 }, (_, i) => ({ attributes: { type: 'Contact' }, LastName: `L${i}` }));
		const { result, request, text } = await send(base, 'salesforce', 'POST', '/services/data/v60.0/composite/sobjects', { allOrNone: false, records });
		assert.equal(result.outcome, 'partial');
		const split = splitBatch({ input: {}, i: 0, result, request, body: text })!;
		assert.equal(split.success.length, 97);
		const failed = split.failed.map((x) => x.json.resilience as Record<string, any>);
		assert.deepEqual(failed.map((r) => [r.record.index, r.rule, r.outcome]), [[17, 'record.row-lock', 'deferred'], [58, 'record.row-lock', 'deferred'], [71, 'salesforce.collection-partial', 'failed-permanent']]);
		assert.deepEqual(failed.map((r) => r.record.sent.LastName), ['L17', 'L58', 'L71']);
	});

	it('GraphQL: the data that came back goes to Success, each error to Failed', async () => {
		const { result, request, text } = await send(base, 'generic', 'POST', '/graphql', { query: '{ a { id } b { id } }' });
		assert.equal(result.outcome, 'partial');
		const split = splitBatch({ input: {}, i: 0, result, request, body: text })!;
		assert.deepEqual(split.success.map((x) => x.json), [{ data: { a: { id: 'A1' }, b: null } }]);
		assert.equal(split.failed.length, 1);
		const r = split.failed[0].json.resilience as Record<string, any>;
		assert.deepEqual([r.record.id, r.class, r.outcome], ['b', 'permanent', 'failed-permanent']);
	});
});
