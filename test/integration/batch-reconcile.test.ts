// Split Batch Results accounts for every record sent exactly once, against loopback HubSpot and Salesforce batch
// endpoints (batch-vendors.ts): out-of-order HubSpot results and errors matched by trace id, id or email; Salesforce
// SaveResults by position; records the answer leaves out, errors without context and all-success batches.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { INodeExecutionData } from 'n8n-workflow';
import { createAxiosSend, createClassifier, executeWithRetry, getPreset, realClock, realSleep, resolvePolicy } from '../../src';
import { splitBatch } from '../../nodes/ResilientHttp/actions/batch';
import { batchVendors, hsObjectId, sfId, type Script } from './batch-vendors';

const SECRET = 'pat-na1-batch-secret-4242';
type Rep = Record<string, any>;

describe('Split Batch Results: every record sent comes out exactly once', () => {
	const vendor = batchVendors();
	let base = '';
	before(async () => (base = await vendor.listen()));
	after(() => vendor.close());

	async function split(preset: string, method: string, path: string, body: unknown, script: Script) {
		vendor.play(script);
		const p = getPreset(preset);
		const policy = resolvePolicy(p);
		const request = { method, url: `${base}${path}` };
		const text = JSON.stringify(body);
		const before = vendor.requests();
		const result = await executeWithRetry({
			request, policy, classify: createClassifier({ preset: p, policy }),
			send: createAxiosSend({ ...request, body: text, headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}` }, timeoutMs: 5000 }),
			clock: realClock, sleep: realSleep, random: Math.random,
		});
		assert.equal(vendor.requests() - before, 1, 'a batch answer is never resent whole');
		const out = splitBatch({ input: { batch: 'B1' }, i: 3, result, request, body: text, secrets: [SECRET], routes: p.idempotentRoutes });
		assert.ok(out, 'the batch is split');
		const all: INodeExecutionData[] = [...out.success, ...out.failed];
		assert.ok(all.every((x) => (x.pairedItem as { item: number }).item === 3), 'every item is paired to the input');
		assert.ok(!JSON.stringify(all).includes(SECRET), 'no secret in any item');
		return { ...out, result, reports: out.failed.map((x) => x.json.resilience as Rep) };
	}

	const contacts = (n: number, trace: boolean) => Array.from({ length: n }, (_, i) => ({ ...(trace ? { objectWriteTraceId: `t${i}` } : {}), properties: { email: `lead${i}@example.com`, firstname: `F${i}` } }));
	const upserts = (n: number) => Array.from({ length: n }, (_, i) => ({ idProperty: 'email', id: `Lead${i}@Example.com`, properties: { firstname: `F${i}` } }));
	/** Which record each Success item is the result of, by the email HubSpot echoes back. */
	const hsRecordOf = (x: INodeExecutionData) => Number(/lead(\d+)@/i.exec(String((x.json.properties as Rep).email))![1]);

	it('HubSpot 207, answered out of order: results by email, errors by context ids and trace ids, each on its record', async () => {
		const s = await split('hubspot', 'POST', '/crm/v3/objects/contacts/batch/upsert', { inputs: upserts(8) }, { faults: { 1: 'invalid', 4: 'rate-limited', 6: 'invalid' } });
		assert.equal(s.result.outcome, 'partial');
		assert.equal(s.success.length + s.failed.length, 8, 'one item per record sent');
		assert.deepEqual(s.success.map(hsRecordOf), [0, 2, 3, 5, 7], 'each Success item is that record\'s own result, in the order sent');
		assert.deepEqual(s.reports.map((r) => [r.record.index, r.record.sent.id, r.class, r.outcome, r.record.matchedBy]), [
			[1, 'Lead1@Example.com', 'permanent', 'failed-permanent', 'key'],
			[4, 'Lead4@Example.com', 'transient', 'deferred', 'key'],
			[6, 'Lead6@Example.com', 'permanent', 'failed-permanent', 'key'],
		]);
		assert.match(s.reports[0].reason, /^record 2 of 8 \(Lead1@Example\.com\): Property values were not valid: lead1@example\.com/);
		assert.deepEqual([s.reports[0].batch.records, s.reports[0].batch.succeeded, s.reports[0].batch.failed, s.reports[0].batch.unmatched], [8, 5, 3, 0]);
	});

	it('HubSpot all-success 201 (create) and 200 (upsert): one Success item per record, shaped as in a partial batch', async () => {
		const created = await split('hubspot', 'POST', '/crm/v3/objects/contacts/batch/create', { inputs: contacts(6, true) }, { faults: {} });
		assert.deepEqual([created.result.outcome, created.result.verdict?.rule, created.result.attempts[0].status], ['success', 'hubspot.batch-results', 201]);
		assert.equal(created.failed.length, 0);
		assert.deepEqual(created.success.map((x) => x.json.objectWriteTraceId), ['t0', 't1', 't2', 't3', 't4', 't5'], 'matched by trace id, in the order sent');
		assert.deepEqual(created.success.map((x) => x.json.id), [0, 1, 2, 3, 4, 5].map(hsObjectId));
		const upserted = await split('hubspot', 'POST', '/crm/v3/objects/contacts/batch/upsert', { inputs: upserts(4) }, { faults: {} });
		assert.equal(upserted.result.attempts[0].status, 200);
		assert.deepEqual(upserted.success.map(hsRecordOf), [0, 1, 2, 3]);
		assert.deepEqual(Object.keys(upserted.success[0].json).sort(), ['archived', 'createdAt', 'id', 'new', 'properties', 'updatedAt'], 'the record\'s result, not the whole body');
	});

	it('HubSpot create, a record missing from the answer and an error without context: both records Failed as ambiguous, with what was sent', async () => {
		const s = await split('hubspot', 'POST', '/crm/v3/objects/contacts/batch/create', { inputs: contacts(5, true) }, { faults: { 2: 'drop', 3: 'bare' } });
		assert.equal(s.success.length + s.failed.length, 5);
		assert.deepEqual(s.success.map((x) => x.json.objectWriteTraceId), ['t0', 't1', 't4']);
		assert.deepEqual(s.reports.map((r) => [r.record.id, r.class, r.outcome, r.ambiguous, r.rule, r.record.unmatched]), [
			['t2', 'ambiguous', 'ambiguous', true, 'record.unmatched', true],
			['t3', 'ambiguous', 'ambiguous', true, 'record.unmatched', true],
		]);
		for (const r of s.reports) {
			assert.match(r.reason, /the server's answer does not mention this record \(it lists 3 results and 1 error for 5 records sent\); a POST may already have applied it/);
			assert.match(r.reason, /the answer also has 1 error tied to no record sent \(first: "Property values were not valid"\)/);
			assert.deepEqual(r.record.unmatchedAnswers, [{ status: 'error', category: 'VALIDATION_ERROR', message: 'Property values were not valid' }], 'the context-less error is kept, not dropped');
			assert.equal(r.record.sent.objectWriteTraceId, r.record.id, 'the record it sent, for a replay of just that one');
		}
	});

	it('HubSpot upsert (safe to repeat), one record missing and one error without context: that error is the record\'s, by elimination', async () => {
		const s = await split('hubspot', 'POST', '/crm/v3/objects/contacts/batch/upsert', { inputs: upserts(4) }, { faults: { 2: 'bare' } });
		assert.deepEqual(s.reports.map((r) => [r.record.index, r.class, r.record.matchedBy, r.record.error.message]), [[2, 'permanent', 'elimination', 'Property values were not valid']]);
		const dropped = await split('hubspot', 'POST', '/crm/v3/objects/contacts/batch/upsert', { inputs: upserts(4) }, { faults: { 0: 'drop', 3: 'foreign' } });
		assert.equal(dropped.success.length + dropped.failed.length, 4);
		// An upsert sent again cannot create a second record: the records the answer skipped are resendable.
		assert.deepEqual(dropped.reports.map((r) => [r.record.index, r.class, r.outcome, typeof r.retryAt]), [[0, 'transient', 'deferred', 'string'], [3, 'transient', 'deferred', 'string']]);
		assert.match(dropped.reports[0].reason, /the route is safe to repeat/);
		assert.equal(dropped.reports[0].record.unmatchedAnswers[0].context.ids[0], 'nobody@example.com', 'an error naming an id nobody sent is named, not matched');
	});

	it('HubSpot: an error naming a record nobody sent, when every record has its answer, comes out on Failed of its own', async () => {
		const s = await split('hubspot', 'POST', '/crm/v3/objects/contacts/batch/create', { inputs: contacts(3, true) }, { faults: {}, extraForeignError: true });
		assert.equal(s.success.length, 3);
		assert.equal(s.failed.length, 1, 'the only item beyond one per record: an answer entry no record can carry');
		const r = s.reports[0];
		assert.deepEqual([r.class, r.outcome, r.rule, r.record.names, r.record.sent], ['ambiguous', 'ambiguous', 'record.unmatched-answer', ['ghost@example.com'], undefined]);
		assert.match(r.reason, /^answer entry 4 of 4: an error that names ghost@example\.com, which no record sent carries: "Object not found"/);
		assert.equal(r.batch.strayAnswers, 1);
	});

	it('HubSpot create without trace ids: results tied by email; with no key at all, as many results as records means all were saved', async () => {
		const s = await split('hubspot', 'POST', '/crm/v3/objects/contacts/batch/create', { inputs: contacts(4, false) }, { faults: { 1: 'rate-limited' } });
		assert.deepEqual(s.success.map(hsRecordOf), [0, 2, 3]);
		assert.deepEqual(s.reports.map((r) => [r.record.index, r.class]), [[1, 'transient']]);
		const noKeys = Array.from({ length: 3 }, (_, i) => ({ properties: { name: `Company ${i}` } }));
		const c = await split('hubspot', 'POST', '/crm/v3/objects/companies/batch/create', { inputs: noKeys }, { faults: {} });
		assert.deepEqual([c.success.length, c.failed.length], [3, 0]);
	});

	const sfRecords = (n: number) => Array.from({ length: n }, (_, i) => ({ attributes: { type: 'Contact' }, LastName: `L${i}` }));
	const SF = '/services/data/v60.0/composite/sobjects';

	it('Salesforce collections, in order: SaveResults by position; all-success split too', async () => {
		const s = await split('salesforce', 'POST', SF, { allOrNone: false, records: sfRecords(5) }, { faults: { 1: 'locked', 3: 'invalid' } });
		assert.deepEqual(s.success.map((x) => x.json.id), [sfId(0), sfId(2), sfId(4)]);
		assert.deepEqual(s.reports.map((r) => [r.record.index, r.record.sent.LastName, r.class, r.outcome, r.record.matchedBy]), [
			[1, 'L1', 'transient', 'deferred', 'position'],
			[3, 'L3', 'permanent', 'failed-permanent', 'position'],
		]);
		const ok = await split('salesforce', 'POST', SF, { allOrNone: false, records: sfRecords(4) }, { faults: {} });
		assert.deepEqual([ok.result.outcome, ok.result.verdict?.rule], ['success', 'salesforce.collection']);
		assert.deepEqual(ok.success.map((x) => x.json), [0, 1, 2, 3].map((i) => ({ id: sfId(i), success: true, errors: [] })));
	});

	it('Salesforce, fewer SaveResults than records sent: the saved ones on Success, the rest Failed as ambiguous (a create may be applied)', async () => {
		const s = await split('salesforce', 'POST', SF, { allOrNone: false, records: sfRecords(5) }, { faults: {}, answerOnly: 3 });
		assert.equal(s.result.outcome, 'success', 'the answer alone looks like a success');
		assert.deepEqual(s.success.map((x) => x.json.id), [sfId(0), sfId(1), sfId(2)]);
		assert.deepEqual(s.reports.map((r) => [r.record.index, r.record.sent.LastName, r.class, r.ambiguous]), [[3, 'L3', 'ambiguous', true], [4, 'L4', 'ambiguous', true]]);
		assert.match(s.reports[0].reason, /^record 4 of 5: the server's answer does not mention this record \(it has 3 entries, in the order sent, for 5 records sent\)/);
	});

	it('Salesforce allOrNone: the invalid record permanent, the rolled-back ones transient (not saved, resendable without it)', async () => {
		const s = await split('salesforce', 'POST', SF, { allOrNone: true, records: sfRecords(4) }, { faults: { 2: 'invalid' } });
		assert.equal(s.success.length, 0);
		assert.deepEqual(s.reports.map((r) => [r.record.index, r.class, r.rule, r.outcome]), [
			[0, 'transient', 'salesforce.rolled-back', 'deferred'],
			[1, 'transient', 'salesforce.rolled-back', 'deferred'],
			[2, 'permanent', 'salesforce.collection-partial', 'failed-permanent'],
			[3, 'transient', 'salesforce.rolled-back', 'deferred'],
		]);
	});
});
