// The only place that shapes output items: Success carries the response body, Failed carries the input plus `resilience`.
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { AttemptRecord, ExecutionResult, Outcome, RecordVerdict, ResultClass } from '../../src/types';
import type { ResponseFormat } from './params';
import { redactDeep, redactUrl } from './redaction';
import { withInputFacts } from './inputSecrets';

/** What a Failed item says about why it is there; lives under json.resilience. */
export interface ResilienceReport {
	outcome: Outcome | 'invalid-configuration';
	class: ResultClass;
	reason: string;
	rule: string;
	status?: number;
	retryAt?: string;
	ambiguous?: boolean;
	parameter?: string;
	extract?: Record<string, string>;
	records?: RecordVerdict[];
	warnings?: string[];
	request: { method: string; url: string; idempotencyKey?: string };
	attempts: AttemptRecord[];
	/** With the circuit breaker on: its key, state and retryAt after this item, and where the state lives. */
	breaker?: IDataObject;
	/** With the rate limiter on: its bucket, what it waited and, when it held the item back, why (rate / paused / daily-quota / retry-budget). */
	rateLimit?: IDataObject;
	/** Split Batch Results: the one record of the batch this Failed item stands for, and the batch's counts. */
	record?: IDataObject;
	batch?: IDataObject;
	/** A top-level `error` field the input item already had, moved here so n8n does not read the item as failed. */
	inputError?: unknown;
}

function contentType(headers: Record<string, string> | undefined): string {
	return (headers?.['content-type'] ?? '').toLowerCase();
}

/** Parses a response body per the response format; never throws. */
export function parseBody(body: string, format: ResponseFormat, headers?: Record<string, string>): unknown {
	if (format === 'text') return body;
	const trimmed = body.trim();
	if (trimmed === '') return undefined;
	const looksJson = contentType(headers).includes('json') || /^[[{"]/.test(trimmed);
	if (format === 'json' || looksJson) {
		try {
			return JSON.parse(trimmed);
		} catch {
			return body;
		}
	}
	return body;
}

/** An n8n item must be an object without a top-level `error`: wrap scalars and arrays, rename `error`. */
export function toItemJson(value: unknown): IDataObject {
	if (value === undefined) return {};
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return { data: value as IDataObject['data'] };
	const json = { ...(value as IDataObject) };
	if ('error' in json) {
		json.responseError = json.error;
		delete json.error;
	}
	return json;
}

export function successItem(
	result: ExecutionResult,
	format: ResponseFormat,
	itemIndex: number,
): INodeExecutionData {
	const last = result.last;
	const body = last && last.kind === 'response' ? parseBody(last.response.body, format, last.response.headers) : undefined;
	const json = toItemJson(body);
	// JSON chosen, text received (an HTML page from a proxy, say): the server said 2xx, so the item stays on Success, but
	// says plainly that its body is not what was asked for.
	if (format === 'json' && typeof body === 'string' && last?.kind === 'response') {
		const type = contentType(last.response.headers) || 'no content-type';
		json.responseWarning = `Response Format is JSON but the body is not JSON (${type}); it is kept as text under "data"`;
	}
	return { json, pairedItem: { item: itemIndex } };
}

/**
 * The class a Failed item reports, which decides whether a replay may resend it. A stopped execution (cancelled) says
 * nothing against the record: a resend can fix it, unless a write that is not safe to repeat was out when it stopped.
 */
function reportClass(result: ExecutionResult, cls: ResultClass | undefined): ResultClass {
	if (result.outcome === 'cancelled') return result.ambiguous ? 'ambiguous' : 'transient';
	return cls ?? 'permanent';
}

export function buildReport(
	result: ExecutionResult,
	request: { method: string; url: string; idempotencyKey?: string },
): ResilienceReport {
	const v = result.verdict;
	const lastAttempt = result.attempts[result.attempts.length - 1];
	const report: ResilienceReport = {
		outcome: result.outcome,
		class: reportClass(result, v?.class ?? lastAttempt?.class),
		reason: v?.reason ?? lastAttempt?.reason ?? result.outcome,
		rule: v?.rule ?? lastAttempt?.rule ?? 'none',
		request: { ...request, url: redactUrl(request.url) },
		attempts: result.attempts,
	};
	if (lastAttempt?.status !== undefined) report.status = lastAttempt.status;
	if (result.retryAt !== undefined) report.retryAt = new Date(result.retryAt).toISOString();
	if (result.ambiguous || result.outcome === 'ambiguous' || report.class === 'ambiguous') report.ambiguous = true;
	if (v?.extract && Object.keys(v.extract).length) report.extract = v.extract;
	if (v?.records?.length) report.records = v.records;
	if (result.warnings.length) report.warnings = result.warnings;
	return report;
}

export function configReport(
	parameter: string,
	message: string,
	request: { method: string; url: string },
): ResilienceReport {
	return {
		outcome: 'invalid-configuration',
		class: 'permanent',
		reason: message,
		rule: `config.${parameter}`,
		parameter,
		request: { method: request.method, url: redactUrl(request.url) },
		attempts: [],
	};
}

/** A Failed item: the untouched input json (minus a top-level `error`) plus the redacted report under `resilience`. */
export function failedItem(input: IDataObject, report: ResilienceReport, itemIndex: number, secrets: readonly string[] = []): INodeExecutionData {
	const json = withInputFacts(input, 'resilience', report as unknown as IDataObject);
	json.resilience = redactDeep(json.resilience, { secrets }) as unknown as IDataObject;
	return { json, pairedItem: { item: itemIndex } };
}
