// reconcileRecords ties each record sent to the answer's entry for it, or to none: the cases the loopback tests do not
// reach (an error naming several records, a record named as saved and failed, two errors for one record, answers
// longer than the request, elimination refused when it would be a guess).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getPreset, recordEntries, reconcileRecords, type RecordsSpec } from '../../src';

const hubspot = getPreset('hubspot').rules.find((r) => r.id === 'hubspot.batch-partial')!.records as RecordsSpec;
const salesforce = getPreset('salesforce').rules.find((r) => r.id === 'salesforce.collection-partial')!.records as RecordsSpec;

function hs(sent: unknown[], answer: { results?: unknown[]; errors?: unknown[] }, body: Record<string, unknown> = {}) {
	const entries = recordEntries(hubspot, { results: answer.results ?? [], errors: answer.errors ?? [] })!;
	const r = reconcileRecords(hubspot, entries, sent, { ...body, inputs: sent });
	return { ...r, where: r.records.map((m) => (m.entry ? `${m.entry.verdict.class}/${m.matchedBy}` : 'none')) };
}
const err = (message: string, context?: unknown) => ({ status: 'error', category: 'VALIDATION_ERROR', message, ...(context ? { context } : {}) });

test('one error naming several records (batch read: ids not found) fails each of them', () => {
	const sent = [{ id: '11' }, { id: '12' }, { id: '13' }];
	const r = hs(sent, { results: [{ id: '12', properties: {} }], errors: [err('not found', { ids: ['13', '11'] })] });
	assert.deepEqual(r.where, ['permanent/key', 'success/key', 'permanent/key']);
	assert.deepEqual(r.stray, []);
});

test('the id property may be named once for the whole request (batch read with idProperty: email)', () => {
	const sent = [{ id: 'a@x.com' }, { id: 'b@x.com' }];
	const r = hs(sent, { results: [{ id: '900', properties: { email: 'b@x.com' } }, { id: '901', properties: { email: 'A@X.com' } }] }, { idProperty: 'email' });
	assert.deepEqual(r.records.map((m) => (m.entry?.value as { id: string }).id), ['901', '900']);
});

test('a record named both as saved and as failed is not called saved; two errors for one record keep both', () => {
	const sent = [{ objectWriteTraceId: 'a' }, { objectWriteTraceId: 'b' }];
	const r = hs(sent, {
		results: [{ id: '1', objectWriteTraceId: 'a' }, { id: '2', objectWriteTraceId: 'b' }],
		errors: [err('odd', { objectWriteTraceId: ['a'] })],
	});
	assert.equal(r.records[0].entry?.verdict.class, 'permanent');
	assert.equal((r.records[0].contradicts?.value as { id: string }).id, '1');
	const twice = hs(sent, { results: [{ id: '2', objectWriteTraceId: 'b' }], errors: [err('first', { objectWriteTraceId: ['a'] }), err('second', { objectWriteTraceId: ['a'] })] });
	assert.equal(twice.records[0].entry?.verdict.reason, 'first');
	assert.deepEqual(twice.records[0].moreErrors?.map((e) => e.verdict.reason), ['second']);
});

test('elimination only where it is not a guess', () => {
	const sent = [{ objectWriteTraceId: 'a' }, { objectWriteTraceId: 'b' }, { objectWriteTraceId: 'c' }];
	// Two errors without context for two records left: which is whose is unknown.
	const two = hs(sent, { results: [{ id: '1', objectWriteTraceId: 'a' }], errors: [err('x'), err('y')] });
	assert.deepEqual(two.where, ['success/key', 'none', 'none']);
	assert.equal(two.stray.length, 2);
	// One record left, one error, but it names someone else: not this record's error.
	const named = hs(sent, { results: [{ id: '1', objectWriteTraceId: 'a' }, { id: '2', objectWriteTraceId: 'b' }], errors: [err('x', { ids: ['zed'] })] });
	assert.deepEqual(named.where, ['success/key', 'success/key', 'none']);
	assert.deepEqual(named.stray[0].names, ['zed']);
	// As many results without a key as records left: those records were saved.
	const bare = hs(sent, { results: [{ id: '1', objectWriteTraceId: 'a' }, { id: '8' }, { id: '9' }] });
	assert.deepEqual(bare.where, ['success/key', 'success/elimination', 'success/elimination']);
	// Fewer results than records left: none of them can be tied.
	const short = hs(sent, { results: [{ id: '8' }, { id: '9' }] });
	assert.deepEqual(short.where, ['none', 'none', 'none']);
	assert.equal(short.stray.length, 2);
});

test('a result cannot stand for two records; a second result for a taken record is stray', () => {
	const sent = [{ objectWriteTraceId: 'a' }, { objectWriteTraceId: 'b' }];
	const r = hs(sent, { results: [{ id: '1', objectWriteTraceId: 'a' }, { id: '3', objectWriteTraceId: 'a' }] });
	assert.deepEqual(r.where, ['success/key', 'none']);
	assert.equal(r.stray.length, 1);
});

test('by position: entries past the records sent are stray, records past the entries unmatched', () => {
	const entries = recordEntries(salesforce, [{ id: '1', success: true }, { success: false, errors: [{ statusCode: 'X', message: 'no' }] }, { id: '3', success: true }])!;
	const long = reconcileRecords(salesforce, entries, [{ LastName: 'a' }, { LastName: 'b' }]);
	assert.deepEqual(long.records.map((m) => [m.entry?.verdict.class, m.matchedBy]), [['success', 'position'], ['permanent', 'position']]);
	assert.equal(long.stray.length, 1);
	const short = reconcileRecords(salesforce, entries.slice(0, 1), [{ LastName: 'a' }, { LastName: 'b' }]);
	assert.deepEqual(short.records.map((m) => m.entry?.verdict.class), ['success', undefined]);
});
