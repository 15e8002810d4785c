// The Failed report of one record of a split batch: its class, outcome, retryAt and reason, the record it sent, and
// for a record the answer does not account for, what the answer said instead.
import type { IDataObject } from 'n8n-workflow';

import type { RecordEntry, RecordMatch, StrayEntry } from '../../../src/classify';
import type { Outcome, RecordsSpec, RecordVerdict, ResultClass } from '../../../src/types';
import type { ResilienceReport } from '../../shared/output';

export interface BatchContext {
	base: ResilienceReport;
	spec: RecordsSpec;
	/** Records sent (or, with nothing sent to compare, entries answered). */
	total: number;
	answered: number;
	/** Of those, how many were results (the rest errors). */
	results: number;
	stray: StrayEntry[];
	/** Whether sending a record again cannot apply it twice (an upsert, an update, a read). */
	safeToRepeat: boolean;
	method: string;
	endedAt: number;
	counts: IDataObject;
}

const OUTCOME: Partial<Record<ResultClass, Outcome>> = { transient: 'deferred', 'quota-wait': 'deferred', conflict: 'conflict', ambiguous: 'ambiguous' };
/** A transient record is not resent in-process (that would resend the records that succeeded): it defers this long. */
const TRANSIENT_RECORD_WAIT_MS = 1000;
const QUOTA_RECORD_WAIT_MS = 3_600_000;
/** A record left unmatched carries the answer's unmatched entries, up to this many (the count says how many there were). */
const MAX_UNMATCHED_ANSWERS = 25;

interface Verdictish {
	class: ResultClass;
	rule?: string;
	reason: string;
	waitMs?: number;
}

function plural(n: number, one: string, many = `${one}s`): string {
	return `${n} ${n === 1 ? one : many}`;
}

function shortMessage(e: RecordEntry): string {
	return e.verdict.reason.length > 160 ? `${e.verdict.reason.slice(0, 160)}…` : e.verdict.reason;
}

/** Unsure whether a record was applied: resendable when the route is safe to repeat, else ambiguous (look before resending). */
function unsure(ctx: BatchContext, rule: string, what: string): Verdictish {
	const tail = ctx.safeToRepeat
		? 'the route is safe to repeat, so it can be sent again'
		: `a ${ctx.method} may already have applied it, so it is not to be resent without checking`;
	return { class: ctx.safeToRepeat ? 'transient' : 'ambiguous', rule, reason: `${what}; ${tail}` };
}

function answerSummary(ctx: BatchContext): string {
	const sent = `for ${plural(ctx.total, 'record')} sent`;
	if (ctx.spec.itemsPath !== undefined) return `it has ${plural(ctx.answered, 'entry', 'entries')}, in the order sent, ${sent}`;
	return `it lists ${plural(ctx.results, 'result')} and ${plural(ctx.answered - ctx.results, 'error')} ${sent}`;
}

function strayClause(ctx: BatchContext): string {
	if (ctx.stray.length === 0) return '';
	const bare = ctx.stray.filter((e) => e.verdict.class !== 'success');
	const first = bare[0] ?? ctx.stray[0];
	const kinds = [bare.length && plural(bare.length, 'error'), ctx.stray.length - bare.length && plural(ctx.stray.length - bare.length, 'result')].filter(Boolean).join(' and ');
	return `; the answer also has ${kinds} tied to no record sent (first: "${shortMessage(first)}"), see record.unmatchedAnswers`;
}

function verdictFor(ctx: BatchContext, r: RecordMatch): Verdictish {
	if (!r.entry) return unsure(ctx, 'record.unmatched', `the server's answer does not mention this record (${answerSummary(ctx)})`);
	if (r.contradicts) return unsure(ctx, 'record.contradictory', `the answer lists this record both as saved and as failed ("${shortMessage(r.entry)}")`);
	const v: RecordVerdict = r.entry.verdict;
	const by = r.matchedBy === 'elimination' ? ' (the only error without a record, for the only record without an answer)' : '';
	return { class: v.class, rule: v.rule, reason: `${v.reason}${by}`, waitMs: v.waitMs };
}

function withClass(ctx: BatchContext, label: string, v: Verdictish): ResilienceReport & IDataObject {
	const outcome = OUTCOME[v.class] ?? 'failed-permanent';
	const report = { ...ctx.base, outcome, class: v.class, rule: v.rule ?? ctx.base.rule, reason: `${label}: ${v.reason}` } as ResilienceReport & IDataObject;
	delete report.records;
	delete report.retryAt;
	delete report.ambiguous;
	if (v.class === 'ambiguous') report.ambiguous = true;
	if (outcome === 'deferred') report.retryAt = new Date(ctx.endedAt + (v.waitMs ?? (v.class === 'quota-wait' ? QUOTA_RECORD_WAIT_MS : TRANSIENT_RECORD_WAIT_MS))).toISOString();
	report.batch = ctx.counts;
	return report;
}

/**
 * A record's report (r), or, for an answer entry tied to no record when none is left to carry it (stray), that entry's:
 * ambiguous, since nobody can tell from the answer which record it is about.
 */
export function recordReport(ctx: BatchContext, r: RecordMatch | undefined, id: string | undefined, stray?: StrayEntry): ResilienceReport {
	if (!r) {
		const e = stray as StrayEntry;
		const named = e.names.length ? `names ${e.names.slice(0, 5).join(', ')}, which no record sent carries` : 'names no record';
		const kind = e.verdict.class === 'success' ? 'a result' : 'an error';
		const report = withClass(ctx, `answer entry ${e.verdict.index + 1} of ${ctx.answered}`, { class: 'ambiguous', rule: 'record.unmatched-answer', reason: `${kind} that ${named}: "${shortMessage(e)}"` });
		report.record = { unmatchedAnswer: e.value as IDataObject, names: e.names };
		return report;
	}
	const v = verdictFor(ctx, r);
	const label = `record ${r.index + 1} of ${ctx.total}${id ? ` (${id})` : ''}`;
	const report = withClass(ctx, label, { ...v, reason: r.entry ? v.reason : `${v.reason}${strayClause(ctx)}` });
	const record: IDataObject = { index: r.index };
	if (id !== undefined) record.id = id;
	if (r.entry) record.error = r.entry.value as IDataObject;
	if (r.contradicts) record.result = r.contradicts.value as IDataObject;
	if (r.moreErrors?.length) record.moreErrors = r.moreErrors.map((e) => e.value) as IDataObject[];
	if (r.matchedBy) record.matchedBy = r.matchedBy;
	if (!r.entry) {
		record.unmatched = true;
		if (ctx.stray.length) record.unmatchedAnswers = ctx.stray.slice(0, MAX_UNMATCHED_ANSWERS).map((e) => e.value) as IDataObject[];
	}
	if (r.sent !== undefined) record.sent = r.sent as IDataObject;
	report.record = record;
	return report;
}
