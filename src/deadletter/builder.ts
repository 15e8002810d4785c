// Turns a Resilient HTTP failure report (json.resilience of a Failed item) and its context into a draft entry.
import type { AttemptRecord } from '../types';
import { validateQueue } from './logic';
import { sanitizeDraft, type ScrubOptions } from './redaction';
import type { DeadLetterDraft } from './types';

/** The fields of nodes/shared/output.ts ResilienceReport that a dead letter needs (structural, no n8n import). */
export interface FailureReportLike {
	outcome: string;
	class: string;
	reason: string;
	rule?: string;
	status?: number;
	retryAt?: string;
	ambiguous?: boolean;
	warnings?: string[];
	request: { method: string; url: string; idempotencyKey?: string };
	attempts: AttemptRecord[];
}

export interface DeadLetterContext {
	queue: string;
	/** The item's json as it entered the node; a `resilience` report or `deadLetter` link on it is not copied. */
	item: unknown;
	/** Request headers and body as sent (they are redacted here and again on write). */
	requestHeaders?: Record<string, unknown>;
	requestBody?: unknown;
	workflowId?: string;
	workflowName?: string;
	executionId?: string;
	node?: string;
	itemIndex?: number;
	/** What to mask beyond the built-in rules: the user's names and paths, literal secrets found in the item. */
	scrub?: ScrubOptions;
}

/** Keys a Failed or replayed item carries that are ours, not the user's data. */
const OWN_KEYS = ['resilience', 'deadLetter'];

function originalItem(item: unknown): unknown {
	if (!item || typeof item !== 'object' || Array.isArray(item)) return item ?? null;
	const out = { ...(item as Record<string, unknown>) };
	for (const k of OWN_KEYS) delete out[k];
	return out;
}

export function buildDeadLetter(report: FailureReportLike, ctx: DeadLetterContext): DeadLetterDraft {
	const attempts = Array.isArray(report.attempts) ? report.attempts : [];
	const draft: DeadLetterDraft = {
		queue: validateQueue(ctx.queue),
		item: originalItem(ctx.item),
		request: { method: report.request.method, url: report.request.url, headers: {}, body: ctx.requestBody },
		classification: { outcome: report.outcome, class: report.class, reason: report.reason },
		attempts,
	};
	if (ctx.requestHeaders) draft.request.headers = ctx.requestHeaders as Record<string, string>;
	if (ctx.requestBody === undefined) delete draft.request.body;
	const c = draft.classification;
	if (report.rule !== undefined) c.rule = report.rule;
	if (report.status !== undefined) c.status = report.status;
	if (report.ambiguous) c.ambiguous = true;
	if (attempts.length) {
		draft.firstAttemptAt = attempts[0].startedAt;
		draft.lastAttemptAt = attempts[attempts.length - 1].endedAt;
	}
	if (report.retryAt) draft.retryAt = new Date(report.retryAt).toISOString();
	if (report.warnings?.length) draft.warnings = [...report.warnings];
	if (report.request.idempotencyKey) draft.idempotencyKey = report.request.idempotencyKey;
	for (const k of ['workflowId', 'workflowName', 'executionId', 'node'] as const) if (ctx[k] !== undefined) draft[k] = String(ctx[k]);
	if (ctx.itemIndex !== undefined) draft.itemIndex = ctx.itemIndex;
	return sanitizeDraft(draft, ctx.scrub);
}

/** Checks a draft's shape before a store takes it; stores sanitize it again. */
export function validateDraft(d: DeadLetterDraft): void {
	validateQueue(d?.queue);
	if (!d.request || typeof d.request.url !== 'string') throw new Error('A dead-letter entry needs request.method and request.url');
	if (!d.classification || typeof d.classification.class !== 'string') throw new Error('A dead-letter entry needs a classification (outcome, class, reason)');
	if (!Array.isArray(d.attempts)) throw new Error('A dead-letter entry needs an attempts array (may be empty)');
	if (d.retryAt !== undefined && Number.isNaN(Date.parse(d.retryAt))) throw new Error(`Invalid retryAt "${d.retryAt}": use an ISO date`);
}
