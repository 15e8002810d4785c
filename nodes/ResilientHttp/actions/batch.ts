// Split Batch Results: every record the request sent comes out exactly once, on Success with the server's result for
// it, or on Failed with its own class and reason (its error, or that the answer does not mention it) and what was sent
// for it, so a replay can send just that record. All-success batches are split too. Every item is paired to the input.
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { getPath, recordEntries, reconcileRecords, safeParseJson, sentName, type RecordEntry, type RecordMatch, type StrayEntry } from '../../../src/classify';
import { isSafeToRepeat } from '../../../src/classify/retrySafety';
import type { ExecutionResult, IdempotentRoute, RecordsSpec, RequestFacts } from '../../../src/types';
import { buildReport, failedItem, toItemJson, type ResilienceReport } from '../../shared/output';
import { recordReport, type BatchContext } from './batchReport';

export interface SplitInput {
	input: IDataObject;
	i: number;
	result: ExecutionResult;
	request: RequestFacts;
	/** The request body as sent (JSON text): the records it lists are the ones that must each come out once. */
	body?: string;
	secrets?: readonly string[];
	/** The preset's routes that are safe to repeat: a record the answer leaves out is then resendable, not ambiguous. */
	routes?: IdempotentRoute[];
}

export interface Split {
	success: INodeExecutionData[];
	failed: INodeExecutionData[];
}

/** The records the request body listed, when the spec says where and the body is JSON. */
function sentRecords(spec: RecordsSpec, method: string, body: string | undefined): { list?: unknown[]; parsed: unknown } {
	if (!spec.requestItemsPath || !body || method.toUpperCase() === 'GET') return { parsed: undefined };
	const parsed = safeParseJson(body);
	const list = getPath(parsed, spec.requestItemsPath);
	return { list: Array.isArray(list) ? list : undefined, parsed };
}

/** Nothing sent to reconcile with (GraphQL errors, a GET): one item per entry of the answer, as it lists them. */
function answerOnly(entries: RecordEntry[]): { records: RecordMatch[]; stray: StrayEntry[] } {
	return { records: entries.map((entry, index) => ({ index, sent: undefined, entry })), stray: [] };
}

/** undefined when the answer lists no records or nothing sent can be tied to it: the item is routed whole, as usual. */
export function splitBatch(o: SplitInput): Split | undefined {
	const v = o.result.verdict;
	const last = o.result.last;
	// A lookup's answer (a lost write found applied) is not the batch's answer.
	if (!v?.recordsSpec || last?.kind !== 'response' || o.result.reconciled) return undefined;
	const spec = v.recordsSpec;
	const parsed = safeParseJson(last.response.body);
	const entries = recordEntries(spec, parsed);
	if (!entries) return undefined;
	const sent = sentRecords(spec, o.request.method, o.body);
	// An answer that lists results for no request of records (a search, a list) is not a batch to split.
	if (!sent.list && (v.class === 'success' || entries.length === 0)) return undefined;
	const { records, stray } = sent.list ? reconcileRecords(spec, entries, sent.list, sent.parsed) : answerOnly(entries);
	if (records.length === 0 && stray.length === 0) return undefined;

	const pairedItem = () => ({ item: o.i });
	const success: INodeExecutionData[] = [];
	const failedRecords: RecordMatch[] = [];
	for (const r of records) {
		if (r.entry?.verdict.class === 'success' && !r.contradicts) success.push({ json: toItemJson(r.entry.value), pairedItem: pairedItem() });
		else failedRecords.push(r);
	}
	const remainder = spec.remainderPath ? getPath(parsed, spec.remainderPath) : undefined;
	if (remainder !== undefined && remainder !== null) success.push({ json: toItemJson({ [spec.remainderPath!]: remainder }), pairedItem: pairedItem() });

	const unmatched = records.filter((r) => !r.entry).length;
	const ctx: BatchContext = {
		base: buildReport(o.result, { method: o.request.method, url: o.request.url, idempotencyKey: o.request.idempotencyKey }),
		spec,
		total: records.length,
		answered: entries.length,
		results: entries.filter((e) => e.verdict.class === 'success').length,
		stray,
		safeToRepeat: isSafeToRepeat(o.request, o.routes),
		method: o.request.method.toUpperCase(),
		endedAt: Date.parse(o.result.attempts.at(-1)?.endedAt ?? '') || Date.now(),
		counts: {
			records: records.length,
			answered: entries.length,
			succeeded: success.length - (remainder !== undefined && remainder !== null ? 1 : 0),
			failed: failedRecords.length,
			unmatched,
			strayAnswers: stray.length,
			rule: v.rule,
			status: last.response.status,
		},
	};
	const fail = (report: ResilienceReport) => failedItem(o.input, report, o.i, o.secrets);
	const failed = failedRecords.map((r) => fail(recordReport(ctx, r, sentName(spec, r.sent) ?? r.entry?.verdict.id)));
	// Entries tied to no record, when no record is left to carry them: each on Failed of its own, never dropped.
	if (unmatched === 0) for (const e of stray) failed.push(fail(recordReport(ctx, undefined, undefined, e)));
	return { success, failed };
}
