// Real n8n, Split Batch Results: two input items each send a batch of 5 to loopback HubSpot and Salesforce
// (test/integration/batch-vendors.ts). An all-success batch is split into one Success item per record, shaped so a
// downstream expression reads each record; an answer that leaves records out puts each of them on Failed with what was
// sent for it. Every record sent comes out exactly once, paired to the input item that sent it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildWorkflow, declaredNodeTypes, describeRun, startHost, type ExecResult, type Host } from './harness/host';
import { assertPaired, itemsNode, outItems, type Item } from './oauth-mock/helpers';
import { batchVendors, hsObjectId, sfId } from '../integration/batch-vendors';

const PER_BATCH = 5;
const BATCHES = 2;

describe('Split Batch Results in real n8n: every record sent comes out once', { timeout: 10 * 60_000 }, () => {
	const vendor = batchVendors();
	let host: Host;
	let base = '';
	let r: ExecResult;

	before(async () => {
		base = await vendor.listen();
		vendor.play({ faults: {} }, 'all-ok');
		vendor.play({ faults: { 1: 'drop', 3: 'bare' } }, 'missing');
		vendor.play({ faults: {}, answerOnly: 3 }, 'sf-short');
		host = await startHost();
		const http = declaredNodeTypes().find((d) => d.type.endsWith('.resilientHttp'))!.type;
		const hubspotInputs = `[0,1,2,3,4].map(k => ({ objectWriteTraceId: 't' + $json.row + '-' + k, properties: { email: 'b' + $json.row + '-' + k + '@example.com' } }))`;
		const sfRecords = `[0,1,2,3,4].map(k => ({ attributes: { type: 'Contact' }, LastName: 'L' + $json.row + '-' + k }))`;
		const node = (name: string, preset: string, path: string, body: string) => ({
			name,
			type: http,
			parameters: { preset, method: 'POST', url: `${base}${path}`, rateLimit: 'off', sendBody: true, bodyType: 'json', jsonBody: `={{ JSON.stringify(${body}) }}`, options: { splitBatchResults: true, maxAttempts: 1 } },
		});
		const wf = buildWorkflow('batch split', [
			itemsNode('Items', BATCHES),
			node('All OK', 'hubspot', '/crm/v3/objects/contacts/batch/create?case=all-ok', `{ inputs: ${hubspotInputs} }`),
			// A downstream expression reads each record's own result: the point of splitting an all-success batch too.
			{ name: 'Per Record', type: 'n8n-nodes-base.set', typeVersion: 3.4, parameters: { mode: 'manual', assignments: { assignments: [{ id: 'a1', name: 'contactId', type: 'string', value: '={{ $json.id }}' }, { id: 'a2', name: 'trace', type: 'string', value: '={{ $json.objectWriteTraceId }}' }] } } },
			node('Missing', 'hubspot', '/crm/v3/objects/contacts/batch/create?case=missing', `{ inputs: ${hubspotInputs} }`),
			node('SF Short', 'salesforce', '/services/data/v60.0/composite/sobjects?case=sf-short', `{ allOrNone: false, records: ${sfRecords} }`),
		], [['Start', 'Items'], ['Items', 'All OK'], ['All OK', 'Per Record'], ['Items', 'Missing'], ['Items', 'SF Short']]);
		r = await host.execute(await host.importWorkflow(wf));
		assert.ok(r.ok, describeRun(r));
	});
	after(async () => {
		await host?.cleanup();
		await vendor.close();
	});

	/** Every record of every batch exactly once across both outputs, and PER_BATCH items paired to each input item. */
	function assertOnce(node: string) {
		const success = outItems(r, node, 0);
		const failed = outItems(r, node, 1);
		assertPaired([...success, ...failed], PER_BATCH * BATCHES);
		for (let b = 0; b < BATCHES; b++) assert.equal([...success, ...failed].filter((x) => x.pairedItem!.item === b).length, PER_BATCH, `${node}: batch ${b}`);
		return { success, failed, rep: (x: Item) => x.json.resilience as Record<string, any> };
	}

	it('an all-success HubSpot batch comes out as one Success item per record, which a Set node reads record by record', () => {
		const { success, failed } = assertOnce('All OK');
		assert.equal(failed.length, 0);
		assert.deepEqual(success.map((x) => x.json.objectWriteTraceId), ['t0-0', 't0-1', 't0-2', 't0-3', 't0-4', 't1-0', 't1-1', 't1-2', 't1-3', 't1-4']);
		const per = outItems(r, 'Per Record', 0);
		assert.deepEqual(per.map((x) => [x.json.contactId, x.json.trace]).slice(0, 2), [[hsObjectId(0), 't0-0'], [hsObjectId(1), 't0-1']]);
		assert.equal(per.length, PER_BATCH * BATCHES);
		console.log(`all-ok: ${success.length} Success items from ${BATCHES} batches of ${PER_BATCH}; Set read ${per.length} contact ids`);
	});

	it('a HubSpot 207 that skips a record and lists an error without context: both records on Failed as ambiguous, with what was sent', () => {
		const { success, failed, rep } = assertOnce('Missing');
		assert.equal(success.length, 3 * BATCHES);
		assert.deepEqual(failed.map((x) => [x.pairedItem!.item, rep(x).record.sent.objectWriteTraceId, rep(x).class, rep(x).rule]), [
			[0, 't0-1', 'ambiguous', 'record.unmatched'], [0, 't0-3', 'ambiguous', 'record.unmatched'],
			[1, 't1-1', 'ambiguous', 'record.unmatched'], [1, 't1-3', 'ambiguous', 'record.unmatched'],
		]);
		for (const x of failed) {
			assert.match(rep(x).reason, /the server's answer does not mention this record \(it lists 3 results and 1 error for 5 records sent\)/);
			assert.equal(rep(x).record.unmatchedAnswers[0].message, 'Property values were not valid', 'the error without context is kept');
		}
		console.log(`missing: Failed ${failed.map((x) => `${rep(x).record.id}=${rep(x).outcome}`).join(', ')}`);
	});

	it('a Salesforce collection answering 3 SaveResults for 5 records: 3 Success, the other 2 Failed as ambiguous', () => {
		const { success, failed, rep } = assertOnce('SF Short');
		assert.deepEqual(success.filter((x) => x.pairedItem!.item === 0).map((x) => x.json.id), [sfId(0), sfId(1), sfId(2)]);
		assert.deepEqual(failed.map((x) => [rep(x).record.index, rep(x).record.sent.LastName, rep(x).outcome]), [[3, 'L0-3', 'ambiguous'], [4, 'L0-4', 'ambiguous'], [3, 'L1-3', 'ambiguous'], [4, 'L1-4', 'ambiguous']]);
	});
});
