// Pure helpers between n8n items and breakers: the key an item maps to, what an item says about its call.
import type { IDataObject } from 'n8n-workflow';

import { breakerOutcomeFromResult, endpointBreakerKey, type BreakerOutcome, type BreakerView } from '../../src/breaker';
import { ConfigError } from './configError';
import { parseUrl } from './params';

export type KeyMode = 'endpoint' | 'custom';

/** Endpoint mode: method + host + route template (ids replaced), per account; custom: the user's key as is. */
export function breakerKeyFrom(o: { mode: KeyMode; method?: string; url?: string; account?: string; custom?: string }): string {
	if (o.mode === 'custom') {
		const k = String(o.custom ?? '').trim();
		if (!k) throw new ConfigError('breakerKey', 'The breaker key is empty; give an expression such as "hubspot" or {{ $json.domain }}');
		if (k.length > 500) throw new ConfigError('breakerKey', 'The breaker key is longer than 500 characters');
		return k;
	}
	const url = parseUrl(String(o.url ?? ''));
	const account = String(o.account ?? '').trim();
	return endpointBreakerKey({ method: String(o.method || 'GET'), url, credentialId: account || undefined });
}

const FRIENDLY_STATUS: Array<[RegExp, number]> = [
	[/bad request/i, 400],
	[/authori[sz]ation failed|unauthori[sz]ed/i, 401],
	[/forbidden/i, 403],
	[/could not be found|not found/i, 404],
	[/too many requests|rate limit/i, 429],
	[/bad gateway/i, 502],
	[/service unavailable|temporarily unavailable/i, 503],
	[/gateway time-?out/i, 504],
];

function statusIn(v: unknown): number | undefined {
	const n = Number(v);
	return Number.isInteger(n) && n >= 100 && n <= 599 ? n : undefined;
}

/** An HTTP status named by an n8n error (an object with httpCode/statusCode, or a message). */
export function statusFromError(error: unknown): number | undefined {
	if (error && typeof error === 'object') {
		const e = error as IDataObject;
		const s = statusIn(e.httpCode) ?? statusIn(e.statusCode) ?? statusIn(e.status);
		if (s !== undefined) return s;
		return statusFromError(e.message ?? e.description);
	}
	if (typeof error !== 'string') return undefined;
	const m = /\b(?:status(?: code)?|http|code)\s*:?\s*([1-5]\d\d)\b/i.exec(error) ?? /^([1-5]\d\d)\b/.exec(error.trim());
	if (m) return Number(m[1]);
	return FRIENDLY_STATUS.find(([re]) => re.test(error))?.[1];
}

/**
 * What one item says about its call, in this order: a Resilient HTTP `resilience` report (Failed output), an
 * HTTP status (`statusCode`/`status`), an `error` (continue-on-fail); an item with none of them succeeded.
 */
export function outcomeFromItem(json: IDataObject): BreakerOutcome & { why: string } {
	const r = json.resilience as IDataObject | undefined;
	if (r && typeof r === 'object' && typeof r.outcome === 'string') {
		if (r.outcome === 'circuit-open' || r.outcome === 'cancelled' || r.outcome === 'invalid-configuration') {
			return { kind: 'ignored', why: `resilience outcome ${r.outcome}: no call judged` };
		}
		const attempts = (Array.isArray(r.attempts) ? r.attempts : []) as IDataObject[];
		const last = attempts[attempts.length - 1] ?? {};
		const status = statusIn(last.status ?? r.status);
		const errorCode = typeof last.errorCode === 'string' ? last.errorCode : undefined;
		const o = breakerOutcomeFromResult({ status, errorCode: status === undefined ? (errorCode ?? `resilience.${r.outcome}`) : undefined });
		return { ...o, why: `resilience outcome ${r.outcome}${status ? `, HTTP ${status}` : errorCode ? `, ${errorCode}` : ''}` };
	}
	const status = statusIn(json.statusCode) ?? statusIn(json.status);
	if (status !== undefined) return { ...breakerOutcomeFromResult({ status }), why: `HTTP ${status}` };
	if (json.error !== undefined && json.error !== null && json.error !== '') {
		const s = statusFromError(json.error);
		if (s !== undefined) return { ...breakerOutcomeFromResult({ status: s }), why: `error naming HTTP ${s}` };
		return { kind: 'failure', why: 'error without an HTTP status' };
	}
	return { kind: 'success', why: 'item without status or error' };
}

/** The outcome a user stated with expressions: an HTTP status and/or "is error". */
export function outcomeFromFields(status: unknown, isError: unknown): BreakerOutcome & { why: string } {
	const s = statusIn(status);
	if (s !== undefined) return { ...breakerOutcomeFromResult({ status: s }), why: `HTTP ${s}` };
	if (isError === true || isError === 'true') return { kind: 'failure', why: 'marked as error' };
	return { kind: 'success', why: 'no status, not marked as error' };
}

/** The breaker as output items show it: states and times as ISO strings a user reads. */
export function describeView(v: BreakerView, retryAt?: number): IDataObject {
	const iso = (t: number | undefined) => (t === undefined || t === 0 ? undefined : new Date(t).toISOString());
	// "name", not "key": redaction masks any field called key.
	const out: IDataObject = {
		name: v.key,
		state: v.state,
		since: iso(v.since),
		calls: v.calls,
		failures: v.failures,
		consecutiveFailures: v.consecutiveFailures,
		trips: v.trips,
		probesInFlight: v.probesInFlight,
	};
	if (v.forced) out.forced = true;
	const halfOpensAt = iso(v.openUntil);
	if (halfOpensAt) out.halfOpensAt = halfOpensAt;
	const again = iso(retryAt ?? v.openUntil);
	if (again) out.retryAt = again;
	if (v.slowCalls) out.slowCalls = v.slowCalls;
	return out;
}
