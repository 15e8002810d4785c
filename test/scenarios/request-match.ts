// Request matching with the README's decoding rules: percent-decoded paths, queries and forms, JSON escapes resolved.
import type { RuleMatch } from './flow-types';

/** One request as the mock saw it; times are epoch ms on the player's clock. */
export interface RecordedRequest {
	seq: number;
	arrivedAt: number;
	/** When the mock began sending the response (template anchor), if it sent one. */
	sentAt?: number;
	/** When the response was finished, the connection dropped, or the client gave up. */
	endedAt?: number;
	ending?: 'response' | 'dropped' | 'client-closed';
	status?: number;
	method: string;
	rawUrl: string;
	/** Percent-decoded, without the query string. */
	path: string;
	query: Record<string, string>;
	/** Names lower-cased. */
	headers: Record<string, string>;
	body: string;
	client: string;
	run: string;
	effect?: string;
	effectCounted?: boolean;
}

function safeDecode(s: string): string {
	try {
		return decodeURIComponent(s);
	} catch {
		return s;
	}
}

export function splitUrl(rawUrl: string): { path: string; query: Record<string, string> } {
	const q = rawUrl.indexOf('?');
	const path = safeDecode(q < 0 ? rawUrl : rawUrl.slice(0, q));
	const query: Record<string, string> = {};
	if (q >= 0) for (const [k, v] of new URLSearchParams(rawUrl.slice(q + 1))) query[k] = v;
	return { path, query };
}

/** The body in every form a `bodyContains` may be written against. */
export function bodyForms(body: string): string[] {
	const forms = [body];
	try {
		// Re-serialising resolves escapes such as \u003c; JSON.stringify leaves < and > as they are.
		forms.push(JSON.stringify(JSON.parse(body)));
	} catch {
		/* not JSON */
	}
	forms.push(safeDecode(body.replace(/\+/g, ' ')));
	return forms;
}

export function bodyContains(body: string, needle: string): boolean {
	return bodyForms(body).some((f) => f.includes(needle));
}

export function matchesRule(m: RuleMatch, r: RecordedRequest, scenarioStart: number): boolean {
	if (m.method && m.method.toUpperCase() !== r.method.toUpperCase()) return false;
	if (m.path !== undefined && splitUrl(m.path).path !== r.path) return false;
	for (const [k, v] of Object.entries(m.query ?? {})) if (r.query[k] !== v) return false;
	for (const [k, v] of Object.entries(m.headers ?? {})) if (r.headers[k.toLowerCase()] !== v) return false;
	if (m.bodyContains !== undefined && !bodyContains(r.body, m.bodyContains)) return false;
	if (m.atMs) {
		const t = r.arrivedAt - scenarioStart;
		const [from, to] = m.atMs;
		if (t < from || (to !== null && t >= to)) return false;
	}
	return true;
}

/** Keys of requestsByPath: "/path" (any method) or "METHOD /path". */
export function matchesPathKey(key: string, r: RecordedRequest): boolean {
	const sp = key.indexOf(' ');
	const method = sp > 0 ? key.slice(0, sp) : undefined;
	const path = splitUrl(sp > 0 ? key.slice(sp + 1) : key).path;
	return (!method || method.toUpperCase() === r.method.toUpperCase()) && path === r.path;
}

/** Value at a dotted path such as "body.guid" of a request (body parsed as JSON). */
export function requestValueAt(r: RecordedRequest, dotted: string): unknown {
	const [root, ...rest] = dotted.split('.');
	let v: unknown;
	if (root === 'body') {
		try {
			v = JSON.parse(r.body);
		} catch {
			return undefined;
		}
	} else if (root === 'headers') v = r.headers;
	else if (root === 'query') v = r.query;
	else return undefined;
	for (const k of rest) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
	return v;
}
