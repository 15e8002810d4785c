// Redaction on write, always: whatever a caller passes, no store keeps a bearer token, API key, cookie or secret field.
import { REDACTED, isHeadersKey, isSecretName, redactHeaders, redactText, redactUrl, type RedactOptions } from '../redact/redact';
import type { AttemptRecord } from '../types';
import type { DeadLetterDraft } from './types';

/** A stored body excerpt is at most this long; the attempt history is for diagnosis, not a copy of the response. */
export const MAX_EXCERPT_CHARS = 1000;
/** Attempts kept per entry (the latest); `attemptCount` still counts every one. */
export const MAX_ATTEMPTS_KEPT = 50;

const looksLikeUrl = (s: string) => /^https?:\/\/\S+$/i.test(s.trim());
// name=value pairs whose name says secret, in a query string, a form body or free text (stops at an escaped \n too)
const SECRET_QUERY = /((?:^|[?&\s;,]|\\+[nrt])[^=&\s"';,\\]*(?:key|token|secret|password|passwd|sig|signature|auth|session)[^=&\s"';,\\]*=)(?!\[redacted\])(?:[^&\s"';,\\]|\\(?![nrt"\\]))+/gi;

/** What a dead-letter write masks beyond the built-in rules: the user's names and field paths, known literals. */
export interface ScrubOptions extends RedactOptions {
	/** Item field paths to mask whatever their name ("customer.ssn"; list indexes are ignored: "rows.token"). */
	paths?: readonly string[];
}

/** Free text: bearer/basic values, secret query parameters of any name, token JSON fields, cookie pairs. */
export function scrubText(text: string, o: ScrubOptions = {}): string {
	const t = looksLikeUrl(text) ? redactUrl(text.trim(), o.names) : text;
	return redactText(t, o).replace(SECRET_QUERY, `$1${REDACTED}`);
}

const plainPath = (p: string) => p.replace(/\[\d+\]/g, '');

/** A copy with secret-named fields masked (whatever their value) and every string scrubbed; masked paths go to `found`. */
export function scrubDeep(value: unknown, o: ScrubOptions = {}, path = '', found?: string[], depth = 0): unknown {
	if (depth > 30) return REDACTED;
	if (typeof value === 'string') return scrubText(value, o);
	if (Array.isArray(value)) return value.map((v, i) => scrubDeep(v, o, `${path}[${i}]`, found, depth + 1));
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
			const at = path ? `${path}.${k}` : k;
			const named = isSecretName(k, o.names) || !!o.paths?.includes(plainPath(at));
			if (named && v !== null && v !== undefined && v !== '') {
				out[k] = REDACTED;
				found?.push(at);
			} else if (isHeadersKey(k) && v && typeof v === 'object' && !Array.isArray(v)) out[k] = scrubHeaders(v as Record<string, unknown>, o);
			else out[k] = scrubDeep(v, o, at, found, depth + 1);
		}
		return out;
	}
	return value;
}

function scrubHeaders(h: Record<string, unknown> | undefined, o: ScrubOptions = {}): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(redactHeaders(h, o))) out[k] = v === REDACTED ? v : scrubText(v, o);
	return out;
}

/** A body may arrive as JSON text: parse it so secret-named fields are masked by name, not only by pattern. */
function scrubBody(body: unknown, o: ScrubOptions): unknown {
	if (typeof body === 'string') {
		const t = body.trim();
		if (/^[[{]/.test(t)) {
			try {
				return JSON.stringify(scrubDeep(JSON.parse(t), o));
			} catch {
				/* not JSON after all: scrub as text */
			}
		}
		return scrubText(body, o);
	}
	return scrubDeep(body, o);
}

export function scrubAttempt(a: AttemptRecord, o: ScrubOptions = {}): AttemptRecord {
	const out = scrubDeep({ ...a, headers: undefined, bodyExcerpt: undefined }, o) as AttemptRecord;
	out.headers = scrubHeaders(a.headers, o);
	const excerpt = scrubText(String(a.bodyExcerpt ?? ''), o);
	out.bodyExcerpt = excerpt.length > MAX_EXCERPT_CHARS ? `${excerpt.slice(0, MAX_EXCERPT_CHARS)}…(cut)` : excerpt;
	return out;
}

/**
 * The draft as every store keeps it: redacted, excerpts capped, at most MAX_ATTEMPTS_KEPT attempts. A second pass
 * keeps the fields the first one masked (the user's own names and paths are known only to the first).
 */
export function sanitizeDraft(d: DeadLetterDraft, o: ScrubOptions = {}): DeadLetterDraft {
	const attempts = (d.attempts ?? []).slice(-MAX_ATTEMPTS_KEPT).map((a) => scrubAttempt(a, o));
	const rest = scrubDeep({ ...d, request: undefined, attempts: undefined, item: undefined, redactedItemFields: undefined }, o) as DeadLetterDraft;
	const masked: string[] = [...(d.redactedItemFields ?? [])];
	const item = scrubDeep(d.item ?? null, o, '', masked);
	return {
		...rest,
		queue: d.queue,
		item,
		...(masked.length ? { redactedItemFields: [...new Set(masked)] } : {}),
		request: {
			method: String(d.request?.method ?? 'GET').toUpperCase(),
			url: scrubText(redactUrl(String(d.request?.url ?? ''), o.names), o),
			headers: scrubHeaders(d.request?.headers, o),
			...(d.request?.body !== undefined ? { body: scrubBody(d.request.body, o) } : {}),
		},
		attempts,
	};
}
