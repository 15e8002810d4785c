// Redaction on write, always: whatever a caller passes, no store keeps a bearer token, API key, cookie or secret field.
import { REDACTED, isSecretName, redactHeaders, redactText, redactUrl } from '../redact/redact';
import type { AttemptRecord } from '../types';
import type { DeadLetterDraft } from './types';

/** A stored body excerpt is at most this long; the attempt history is for diagnosis, not a copy of the response. */
export const MAX_EXCERPT_CHARS = 1000;
/** Attempts kept per entry (the latest); `attemptCount` still counts every one. */
export const MAX_ATTEMPTS_KEPT = 50;

const looksLikeUrl = (s: string) => /^https?:\/\/\S+$/i.test(s.trim());
// name=value pairs whose name says secret, in a query string, a form body or free text
const SECRET_QUERY = /((?:^|[?&\s;,])[^=&\s"';,]*(?:key|token|secret|password|passwd|sig|signature|auth|session)[^=&\s"';,]*=)[^&\s"';,]+/gi;

/** Free text: bearer/basic values, secret query parameters of any name, token JSON fields, cookie pairs. */
export function scrubText(text: string): string {
	let t = looksLikeUrl(text) ? redactUrl(text.trim()) : text;
	t = redactText(t).replace(SECRET_QUERY, `$1${REDACTED}`);
	return t.replace(/\b((?:set-)?cookie\s*:\s*)[^\r\n"]+/gi, `$1${REDACTED}`);
}

/** A copy with secret-named fields masked (whatever their value) and every string scrubbed; masked paths go to `found`. */
export function scrubDeep(value: unknown, depth = 0, path = '', found?: string[]): unknown {
	if (depth > 30) return REDACTED;
	if (typeof value === 'string') return scrubText(value);
	if (Array.isArray(value)) return value.map((v, i) => scrubDeep(v, depth + 1, `${path}[${i}]`, found));
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
			const at = path ? `${path}.${k}` : k;
			if (isSecretName(k) && v !== null && v !== undefined && v !== '') {
				out[k] = REDACTED;
				found?.push(at);
			} else out[k] = scrubDeep(v, depth + 1, at, found);
		}
		return out;
	}
	return value;
}

function scrubHeaders(h: Record<string, unknown> | undefined): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(redactHeaders(h))) out[k] = v === REDACTED ? v : scrubText(v);
	return out;
}

/** A body may arrive as JSON text: parse it so secret-named fields are masked by name, not only by pattern. */
function scrubBody(body: unknown): unknown {
	if (typeof body === 'string') {
		const t = body.trim();
		if (/^[[{]/.test(t)) {
			try {
				return JSON.stringify(scrubDeep(JSON.parse(t)));
			} catch {
				/* not JSON after all: scrub as text */
			}
		}
		return scrubText(body);
	}
	return scrubDeep(body);
}

export function scrubAttempt(a: AttemptRecord): AttemptRecord {
	const out = scrubDeep({ ...a, headers: undefined, bodyExcerpt: undefined }) as AttemptRecord;
	out.headers = scrubHeaders(a.headers);
	const excerpt = scrubText(String(a.bodyExcerpt ?? ''));
	out.bodyExcerpt = excerpt.length > MAX_EXCERPT_CHARS ? `${excerpt.slice(0, MAX_EXCERPT_CHARS)}…(cut)` : excerpt;
	return out;
}

/** The draft as every store keeps it: redacted, excerpts capped, at most MAX_ATTEMPTS_KEPT attempts. */
export function sanitizeDraft(d: DeadLetterDraft): DeadLetterDraft {
	const attempts = (d.attempts ?? []).slice(-MAX_ATTEMPTS_KEPT).map(scrubAttempt);
	const rest = scrubDeep({ ...d, request: undefined, attempts: undefined, item: undefined, redactedItemFields: undefined }) as DeadLetterDraft;
	const masked: string[] = [];
	const item = scrubDeep(d.item ?? null, 0, '', masked);
	return {
		...rest,
		queue: d.queue,
		item,
		...(masked.length ? { redactedItemFields: masked } : {}),
		request: {
			method: String(d.request?.method ?? 'GET').toUpperCase(),
			url: scrubText(redactUrl(String(d.request?.url ?? ''))),
			headers: scrubHeaders(d.request?.headers),
			...(d.request?.body !== undefined ? { body: scrubBody(d.request.body) } : {}),
		},
		attempts,
	};
}
