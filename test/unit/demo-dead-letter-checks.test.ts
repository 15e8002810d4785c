// The PostgreSQL demo's checks catch what they claim to: a Failed item without its row, a row missing context, a second
// row, a leaked secret; after the replay, a lost lead, a good lead left undelivered, a row resolved for nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPhase1, isBadLead, reconcileReplay, routeDelta, rowsByQueueClass } from '../../demo/dead-letters/checks.mjs';

const attempt = { attempt: 1, startedAt: '2026-12-03T02:47:01.000Z', status: 503 };
const failedItem = (lead: string, id: string, extra: Record<string, unknown> = {}) => ({
	stage: 'crm',
	json: { lead_id: lead, resilience: { outcome: 'failed-exhausted', class: 'transient', reason: 'HTTP 503', attempts: [attempt, attempt], deadLetter: { id, stored: true }, ...extra } },
});
const row = (lead: string, id: string, extra: Record<string, unknown> = {}) => ({
	id, queue: 'crm', status: 'new', class: 'transient', reason: 'HTTP 503', attempt_count: 2, attempts: [attempt, attempt], workflow_id: 'wf1',
	node: 'Upsert contact (HubSpot)', execution_id: '7', item_index: 3, replay_count: 0, note: null,
	origin: { item: { lead_id: lead } },
	latest: { classification: { outcome: 'failed-exhausted' }, request: { method: 'POST', url: 'http://127.0.0.1:1/crm', headers: { authorization: '[redacted]' } } },
	...extra,
});
const phase1 = (failed: unknown[], rows: unknown[], rawTable = '') => checkPhase1({ failed, rows, workflowId: 'wf1', rawTable, secrets: { hubspot: 'tok-123' } });

test('phase 1: a Failed item and its row with full context pass; each missing piece is named', () => {
	assert.deepEqual(phase1([failedItem('lead-0001', 'dl_1')], [row('lead-0001', 'dl_1')]), []);
	assert.match(phase1([failedItem('lead-0001', 'dl_1')], [])[0], /lead-0001 \(crm\): no dead-letter row/);
	assert.match(phase1([failedItem('lead-0001', 'dl_1', { deadLetter: { stored: false, error: 'PostgreSQL is unreachable' } })], [])[0], /unreachable/);
	assert.match(phase1([failedItem('lead-0001', 'dl_1')], [row('lead-0001', 'dl_1', { class: 'permanent' })])[0], /class is "permanent", expected "transient"/);
	assert.match(phase1([failedItem('lead-0001', 'dl_1')], [row('lead-0001', 'dl_1', { attempts: [attempt] })])[0], /attempts_kept is 1, expected 2/);
	assert.match(phase1([failedItem('lead-0001', 'dl_1')], [row('lead-0001', 'dl_1', { execution_id: null })])[0], /execution_id/);
	assert.match(phase1([failedItem('lead-0001', 'dl_1')], [row('lead-0001', 'dl_1', { node: 'Other' })])[0], /node is "Other"/);
	const two: string[] = phase1([failedItem('lead-0001', 'dl_1')], [row('lead-0001', 'dl_1'), row('lead-0001', 'dl_2')]);
	assert.ok(two.some((p) => /2 rows instead of one/.test(p)) && two.some((p) => /1 row\(s\) for no Failed item/.test(p)), two.join('; '));
	assert.deepEqual(phase1([failedItem('lead-0001', 'dl_1')], [row('lead-0001', 'dl_1')], '{"authorization":"Bearer tok-123"}'), ['the hubspot secret is in the dead-letter table']);
});

test('after the replay: delivered per the ledger, failed = an open or discarded row, otherwise lost; good leads must be delivered', () => {
	const leads = [
		{ lead_id: 'lead-0001', email: 'a@x.test' }, // delivered in phase 1, never dead-lettered
		{ lead_id: 'lead-0002', email: 'b@x.test' }, // dead-lettered, replayed, delivered
		{ lead_id: 'lead-0013', email: 'bad' }, // a bad row, kept open
		{ lead_id: 'lead-0004', email: 'd@x.test' }, // resolved, but the ledger never enrolled it
	];
	const ledger = { leads: { 'a@x.test': { enrollments: 1 }, 'b@x.test': { enrollments: 1 } } };
	const rows = [row('lead-0002', 'dl_2', { status: 'resolved', replay_count: 1 }), row('lead-0013', 'dl_3', { class: 'permanent' }), row('lead-0004', 'dl_4', { status: 'resolved', replay_count: 1 })];
	const r = reconcileReplay({ leads, ledger, rows });
	assert.deepEqual([r.delivered, r.failed, r.lost, r.undeliveredGood, r.resolvedUndelivered], [['lead-0001', 'lead-0002'], ['lead-0013'], ['lead-0004'], ['lead-0004'], ['lead-0004']]);
	assert.deepEqual(r.figures, { dead_letters: 3, replayed: 2, resolved: 2, open: 1, discarded: 0 });
	assert.deepEqual(reconcileReplay({ leads: leads.slice(0, 2), ledger: { leads: { 'a@x.test': { enrollments: 2 } } }, rows: [] }).twiceEnrolled, ['lead-0001']);
	assert.deepEqual([isBadLead('lead-0013'), isBadLead('lead-0080'), isBadLead('lead-0014')], [true, true, false]);
});

test('rows per queue · class keep the class of phase 1 and show what phase 2 made of them; route deltas count phase 2 only', () => {
	const before = [row('lead-0002', 'dl_2'), row('lead-0070', 'dl_5', { queue: 'enroll', class: 'ambiguous' })];
	const after = [row('lead-0002', 'dl_2', { status: 'resolved', replay_count: 1 }), row('lead-0070', 'dl_5', { queue: 'enroll', class: 'ambiguous', status: 'new', replay_count: 1 })];
	const t = rowsByQueueClass(before, after);
	assert.deepEqual(Object.keys(t).sort(), ['crm · transient', 'enroll · ambiguous']);
	assert.deepEqual([t['crm · transient'].resolved, t['enroll · ambiguous'].open, t['enroll · ambiguous'].replayed], [1, 1, 1]);
	const d = routeDelta({ routes: { crm: { total: 10, endings: { 200: 8, 503: 2 } } } }, { routes: { crm: { total: 13, endings: { 200: 11, 503: 2 } }, lookup: { total: 2, endings: { 200: 2 } } } });
	assert.deepEqual(d, { crm: { total: 3, endings: { 200: 3 } }, lookup: { total: 2, endings: { 200: 2 } } });
});
