// Loopback HubSpot and Salesforce batch endpoints, answering as their docs describe, with faults a test scripts per
// record. HubSpot (crm/v3 objects batch create/upsert/update): results and errors in no promised order (here
// reversed), each result with the record's properties and the objectWriteTraceId it was sent with, each error naming
// its inputs in `context`; 201 (create) or 200 when every record succeeded, 207 with numErrors otherwise. Salesforce
// sObject collections: one SaveResult per record in the order sent, 200; with allOrNone a failure rolls the rest back.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What happens to record i: HubSpot invalid / rate-limited / bare (error without context) / drop (not in the answer) / foreign (an error naming an id nobody sent); Salesforce invalid / locked. */
export type Fault = 'invalid' | 'rate-limited' | 'bare' | 'drop' | 'foreign' | 'locked';

export interface Script {
	faults: Record<number, Fault>;
	/** HubSpot: also list an error about an id nobody sent (besides every record's own answer). */
	extraForeignError?: boolean;
	/** Salesforce: answer only the first n SaveResults (an answer cut short). */
	answerOnly?: number;
}

type HsInput = { id?: string; idProperty?: string; objectWriteTraceId?: string; properties?: Record<string, string> };
type SfRecord = { attributes: { type: string }; LastName?: string };

export const hsObjectId = (i: number) => String(7000 + i);
export const sfId = (i: number) => `003RM${String(i).padStart(6, '0')}`;

function hubspot(op: string, inputs: HsInput[], script: Script) {
	const results: unknown[] = [];
	const errors: unknown[] = [];
	const now = new Date().toISOString();
	inputs.forEach((input, i) => {
		const fault = script.faults[i];
		// HubSpot keeps emails in lower case, in results and in the ids an error names.
		const email = (input.idProperty === 'email' ? input.id : input.properties?.email)?.toLowerCase();
		const context = input.objectWriteTraceId ? { objectWriteTraceId: [input.objectWriteTraceId] } : { ids: [email ?? input.id ?? ''] };
		if (fault === 'drop') return;
		if (fault === 'invalid') errors.push({ status: 'error', category: 'VALIDATION_ERROR', message: `Property values were not valid: ${email} is not a valid email address`, context });
		else if (fault === 'rate-limited') errors.push({ status: 'error', category: 'RATE_LIMITS', message: 'You have reached your ten_secondly_rolling limit.', context });
		else if (fault === 'bare') errors.push({ status: 'error', category: 'VALIDATION_ERROR', message: 'Property values were not valid' });
		else if (fault === 'foreign') errors.push({ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Object not found', context: { ids: ['nobody@example.com'] } });
		else {
			const id = op === 'update' ? String(input.id) : hsObjectId(i);
			const result: Record<string, unknown> = { id, properties: { ...input.properties, ...(email ? { email } : {}), hs_object_id: id }, createdAt: now, updatedAt: now, archived: false };
			if (input.objectWriteTraceId) result.objectWriteTraceId = input.objectWriteTraceId;
			if (op === 'upsert') result.new = true;
			results.push(result);
		}
	});
	if (script.extraForeignError) errors.push({ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Object not found', context: { ids: ['ghost@example.com'] } });
	const body: Record<string, unknown> = { status: 'COMPLETE', results: results.reverse(), startedAt: now, completedAt: now };
	if (errors.length) Object.assign(body, { numErrors: errors.length, errors: errors.reverse() });
	return { status: errors.length ? 207 : op === 'create' ? 201 : 200, body };
}

function salesforce(allOrNone: boolean, records: SfRecord[], script: Script) {
	const own = records.map((_, i) => {
		const fault = script.faults[i];
		if (fault === 'invalid') return { success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [LastName]', fields: ['LastName'] }] };
		if (fault === 'locked') return { success: false, errors: [{ statusCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record', fields: [] }] };
		return { id: sfId(i), success: true, errors: [] as unknown[] };
	});
	const rolledBack = { success: false, errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'Record rolled back because not all records were valid and the request was using AllOrNone header', fields: [] }] };
	const answer = allOrNone && own.some((r) => !r.success) ? own.map((r) => (r.success ? rolledBack : r)) : own;
	return { status: 200, body: script.answerOnly === undefined ? answer : answer.slice(0, script.answerOnly) };
}

/** One server; `play` sets the script, or the script for requests whose URL has ?case=<name> (several nodes, one run). */
export function batchVendors() {
	let script: Script = { faults: {} };
	const cases = new Map<string, Script>();
	let requests = 0;
	const server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (c) => (raw += c)).on('end', () => {
			requests++;
			const body = JSON.parse(raw || '{}');
			const url = new URL(req.url ?? '/', 'http://loopback');
			const active = cases.get(url.searchParams.get('case') ?? '') ?? script;
			const hs = /\/crm\/v3\/objects\/\w+\/batch\/(\w+)$/.exec(url.pathname);
			const out = hs ? hubspot(hs[1], body.inputs ?? [], active) : salesforce(body.allOrNone === true, body.records ?? [], active);
			res.writeHead(out.status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(out.body));
		});
	});
	return {
		server,
		requests: () => requests,
		play(s: Script, caseName?: string) {
			if (caseName) cases.set(caseName, s);
			else script = s;
		},
		async listen(): Promise<string> {
			await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
			return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		},
		close: () => new Promise<void>((r) => server.close(() => r())),
	};
}
