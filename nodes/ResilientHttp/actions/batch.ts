// Split Batch Results: a batch answer with per-record results (HubSpot 207, Salesforce collections, GraphQL errors
// beside data) becomes one Success item per succeeded record and one Failed item per failed record, each with its
// own class, outcome and retryAt, and the record it sent when the request body lists them; all paired to the input.
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { getPath, recordEntries, safeParseJson, type RecordEntry } from '../../../src/classify';
import type { ExecutionResult, Outcome, RecordsSpec, RecordVerdict } from '../../../src/types';
import { buildReport, failedItem, toItemJson, type ResilienceReport } from '../../shared/output';

export interface SplitInput {
	input: IDataObject;
	i: number;
	result: ExecutionResult;
	request: { method: string; url: string; idempotencyKey?: string };
	/** The request body as sent (JSON text), to hand each failed record back with what was sent for it. */
	body?: string;
	secrets?: readonly string[];
}

export interface Split {
	success: INodeExecutionData[];
	failed: INodeExecutionData[];
}

const OUTCOME: Partial<Record<RecordVerdict['class'], Outcome>> = { transient: 'deferred', 'quota-wait': 'deferred', conflict: 'conflict', ambiguous: 'ambiguous' };
/** A transient record is not resent in-process (that would resend the records that succeeded): it defers this long. */
const TRANSIENT_RECORD_WAIT_MS = 1000;
const QUOTA_RECORD_WAIT_MS = 3_600_000;

/** The records the request body listed, when the spec says where. */
function sentRecords(spec: RecordsSpec, body: string | undefined): unknown[] | undefined {
	if (!spec.requestItemsPath || !body) return undefined;
	const list = getPath(safeParseJson(body), spec.requestItemsPath);
	return Array.isArray(list) ? list : undefined;
}

/** What was sent for one record: by position for index-aligned answers, else by the id its error names. */
function sentFor(spec: RecordsSpec, sent: unknown[] | undefined, r: RecordVerdict): unknown {
	if (!sent) return undefined;
	if (spec.itemsPath !== undefined) return sent[r.index];
	if (r.id === undefined) return undefined;
	return sent.find((s) => (spec.requestIdPaths ?? ['id']).some((p) => String(getPath(s, p) ?? '') === r.id));
}

function recordReport(base: ResilienceReport, e: RecordEntry, total: number, counts: IDataObject, spec: RecordsSpec, sent: unknown[] | undefined, endedAt: number): ResilienceReport {
	const r = e.verdict;
	const outcome = OUTCOME[r.class] ?? 'failed-permanent';
	const label = `record ${r.index + 1} of ${total}${r.id ? ` (${r.id})` : ''}`;
	const report = { ...base, outcome, class: r.class, rule: r.rule ?? base.rule, reason: `${label}: ${r.reason}` } as ResilienceReport & IDataObject;
	delete report.records;
	delete report.retryAt;
	if (outcome === 'deferred') report.retryAt = new Date(endedAt + (r.waitMs ?? (r.class === 'quota-wait' ? QUOTA_RECORD_WAIT_MS : TRANSIENT_RECORD_WAIT_MS))).toISOString();
	const record: IDataObject = { index: r.index, error: e.value as IDataObject };
	if (r.id !== undefined) record.id = r.id;
	const what = sentFor(spec, sent, r);
	if (what !== undefined) record.sent = what as IDataObject;
	report.record = record;
	report.batch = counts;
	return report;
}

/** undefined when the answer lists no records (the item is routed whole, as usual). */
export function splitBatch(o: SplitInput): Split | undefined {
	const v = o.result.verdict;
	const last = o.result.last;
	if (!v?.recordsSpec || !v.records?.length || last?.kind !== 'response') return undefined;
	const spec = v.recordsSpec;
	const parsed = safeParseJson(last.response.body);
	const entries = recordEntries(spec, parsed);
	if (!entries?.length) return undefined;
	const pairedItem = { item: o.i };
	const ok = entries.filter((e) => e.verdict.class === 'success');
	const bad = entries.filter((e) => e.verdict.class !== 'success');
	const success: INodeExecutionData[] = ok.map((e) => ({ json: toItemJson(e.value), pairedItem }));
	const remainder = spec.remainderPath ? getPath(parsed, spec.remainderPath) : undefined;
	if (remainder !== undefined && remainder !== null) success.push({ json: toItemJson({ [spec.remainderPath!]: remainder }), pairedItem });
	const counts: IDataObject = { records: entries.length, succeeded: ok.length, failed: bad.length, rule: v.rule, status: last.response.status };
	const base = buildReport(o.result, o.request);
	const endedAt = Date.parse(o.result.attempts.at(-1)?.endedAt ?? '') || Date.now();
	const sent = sentRecords(spec, o.request.method === 'GET' ? undefined : o.body);
	const failed = bad.map((e) => failedItem(o.input, recordReport(base, e, entries.length, counts, spec, sent, endedAt), o.i, o.secrets));
	return { success, failed };
}
