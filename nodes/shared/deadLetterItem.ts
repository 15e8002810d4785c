// Items ↔ dead letters: a Resilient HTTP report becomes a full entry, any other item an entry with the reason the user
// gives, and the replay link (json.deadLetter) travels with the record so a repeat failure finds its entry again.
import type { IDataObject } from 'n8n-workflow';

import {
	DEAD_LETTER_LINK_KEY,
	buildDeadLetter,
	replayLinkOf,
	type DeadLetterDraft,
	type DeadLetterEntry,
	type FailureReportLike,
	type ScrubOptions,
	type WriteResult,
} from '../../src/deadletter';

/** Where the record came from: the workflow, the execution and the node that failed it. */
export interface ItemOrigin {
	workflowId?: string;
	workflowName?: string;
	executionId?: string;
	node?: string;
	itemIndex?: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** json.resilience when it is a Resilient HTTP failure report (outcome, class, reason, request.url, attempts). */
export function failureReportOf(json: IDataObject): FailureReportLike | undefined {
	const r = json.resilience;
	if (!isObject(r) || typeof r.outcome !== 'string' || !isObject(r.request) || typeof r.request.url !== 'string') return undefined;
	return {
		...(r as unknown as FailureReportLike),
		class: String(r.class ?? 'permanent'),
		reason: String(r.reason ?? r.outcome),
		attempts: Array.isArray(r.attempts) ? (r.attempts as FailureReportLike['attempts']) : [],
	};
}

/** The entry Resilient HTTP already wrote this Failed item to (its dead-letter switch), when that write succeeded. */
export function storedDeadLetterId(json: IDataObject): string | undefined {
	const r = json.resilience;
	const d = isObject(r) ? r.deadLetter : undefined;
	return isObject(d) && typeof d.id === 'string' && d.id !== '' && d.stored !== false ? d.id : undefined;
}

/** The text of a top-level `error` an item carries (n8n's continue-on-fail output), if any. */
export function inputErrorText(json: IDataObject): string | undefined {
	const e = json.error;
	if (e === undefined || e === null || e === '') return undefined;
	if (isObject(e)) return String(e.message ?? e.description ?? JSON.stringify(e));
	return String(e);
}

/** The user's record without our keys and without a top-level `error` (a replay must not emit an item n8n reads as failed). */
export function recordOf(json: IDataObject): IDataObject {
	const out = { ...json };
	for (const k of ['resilience', DEAD_LETTER_LINK_KEY, 'error']) delete out[k];
	return out;
}

export function reportDraft(
	json: IDataObject,
	report: FailureReportLike,
	queue: string,
	origin: ItemOrigin,
	request: { headers?: Record<string, unknown>; body?: unknown } = {},
	scrub?: ScrubOptions,
): DeadLetterDraft {
	return buildDeadLetter(report, { queue, item: recordOf(json), requestHeaders: request.headers, requestBody: request.body, ...origin, scrub });
}

export interface PlainEntry {
	queue: string;
	reason: string;
	class: string;
	retryAt?: string;
}

/** An item that did not come from Resilient HTTP: no request, no attempts, the reason and class the user chose. */
export function plainDraft(json: IDataObject, p: PlainEntry, origin: ItemOrigin, scrub?: ScrubOptions): DeadLetterDraft {
	const report: FailureReportLike = { outcome: 'dead-lettered', class: p.class, reason: p.reason, request: { method: '', url: '' }, attempts: [] };
	if (p.retryAt) report.retryAt = p.retryAt;
	return buildDeadLetter(report, { queue: p.queue, item: recordOf(json), ...origin, scrub });
}

/** What an item says about its entry: the replay link's fields, whether the write made a new entry, and its status. */
export function entryFacts(e: DeadLetterEntry): IDataObject {
	return {
		id: e.id,
		queue: e.queue,
		status: e.status,
		replayCount: e.replayCount,
		attemptCount: e.attemptCount,
		class: String(e.classification.class),
		reason: e.classification.reason,
		...(e.retryAt ? { retryAt: e.retryAt } : {}),
		...(e.redactedItemFields?.length ? { redactedFields: [...e.redactedItemFields] } : {}),
	};
}

export function writtenFacts(r: WriteResult): IDataObject {
	return { ...entryFacts(r.entry), created: r.created };
}

/**
 * A Success item of a replayed record keeps its link, so a resolve step can close the entry; a `deadLetter` field the
 * response itself had moves to `responseDeadLetter`.
 */
export function carryReplayLink(input: IDataObject, json: IDataObject): IDataObject {
	if (!replayLinkOf(input)) return json;
	const out = { ...json };
	if (DEAD_LETTER_LINK_KEY in out) out.responseDeadLetter = out[DEAD_LETTER_LINK_KEY];
	out[DEAD_LETTER_LINK_KEY] = input[DEAD_LETTER_LINK_KEY];
	return out;
}

/** The idempotency key the record's first request sent, which a replayed item carries so the server can drop a repeat. */
export function replayIdempotencyKey(json: unknown): string | undefined {
	if (!replayLinkOf(json)) return undefined;
	const k = ((json as IDataObject)[DEAD_LETTER_LINK_KEY] as IDataObject).idempotencyKey;
	return typeof k === 'string' && k !== '' ? k : undefined;
}

/** The item without its replay link: a derived key must not change because the record is on its second replay. */
export function withoutReplayLink(json: unknown): unknown {
	if (!replayLinkOf(json)) return json;
	const out = { ...(json as IDataObject) };
	delete out[DEAD_LETTER_LINK_KEY];
	return out;
}

/** An entry as an output item: plain JSON (the stores already redacted it). */
export const entryJson = (e: DeadLetterEntry): IDataObject => JSON.parse(JSON.stringify(e)) as IDataObject;

export { replayLinkOf };
