// Parsers for the ways servers say "wait": Retry-After, retry-after-ms, duration strings, reset headers.
import type { ResetHeaderFormat } from '../types';

export type ParsedWait = { ok: true; waitMs: number } | { ok: false; warning: string };

const HTTP_DATE_HINT = /[a-z]{3},?\s|GMT|UTC|\d{4}-\d{2}-\d{2}/i;

/** Date.parse restricted to values that look like dates (Date.parse accepts odd things like "1"). */
export function parseDateValue(value: string): number | undefined {
	const v = value.trim();
	if (!HTTP_DATE_HINT.test(v)) return undefined;
	const t = Date.parse(v);
	return Number.isFinite(t) ? t : undefined;
}

/** The longest wait any platform's quota window asks for (a monthly reset); longer is a server's mistake. */
export const MAX_PLAUSIBLE_WAIT_MS = 31 * 86_400_000;

/** A wait past MAX_PLAUSIBLE_WAIT_MS (epoch seconds sent as a delta, a date in year 9999) is refused, not obeyed. */
function plausible(name: string, v: string, waitMs: number): ParsedWait {
	if (waitMs <= MAX_PLAUSIBLE_WAIT_MS) return { ok: true, waitMs };
	return { ok: false, warning: `${name} value "${v.slice(0, 60)}" asks to wait ${Math.round(waitMs / 86_400_000)} days, more than any quota window (31 days): treated as a server mistake; using backoff` };
}

/**
 * Retry-After: delta-seconds (integer or decimal) or an HTTP-date. A past date means wait 0.
 * With the response's Date header the delta is taken between the two server times, immune to clock skew.
 */
export function parseRetryAfter(value: string, now: number, dateHeader?: string): ParsedWait {
	const v = value.trim();
	if (/^\d+(\.\d+)?$/.test(v)) return plausible('Retry-After', v, Math.round(parseFloat(v) * 1000));
	const at = parseDateValue(v);
	if (at === undefined) return { ok: false, warning: `Retry-After value "${v.slice(0, 60)}" is neither seconds nor an HTTP-date; using backoff` };
	const serverNow = dateHeader ? parseDateValue(dateHeader) : undefined;
	const reference = serverNow ?? now;
	return plausible('Retry-After', v, Math.max(0, at - reference));
}

/** retry-after-ms (OpenAI): milliseconds. */
export function parseRetryAfterMs(value: string): ParsedWait {
	const v = value.trim();
	if (/^\d+(\.\d+)?$/.test(v)) return plausible('retry-after-ms', v, Math.round(parseFloat(v)));
	return { ok: false, warning: `retry-after-ms value "${v.slice(0, 60)}" is not a number; using backoff` };
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, sec: 1000, second: 1000, seconds: 1000, m: 60000, min: 60000, minute: 60000, minutes: 60000, h: 3600000, hour: 3600000, hours: 3600000, d: 86400000, us: 0.001, µs: 0.001, ns: 0.000001 };

/** Go-style durations ("644ms", "1.5s", "6m0s", "1h2m") and prose ("20 seconds"). Undefined when not a duration. */
export function parseDuration(value: string): number | undefined {
	const v = value.trim().toLowerCase();
	if (v === '') return undefined;
	const re = /(\d+(?:\.\d+)?)\s*(ms|us|µs|ns|seconds|second|sec|s|minutes|minute|min|m|hours|hour|h|d)/gy;
	let total = 0;
	let consumed = 0;
	let m: RegExpExecArray | null;
	while ((m = re.exec(v)) !== null) {
		total += parseFloat(m[1]) * UNIT_MS[m[2]];
		consumed = re.lastIndex;
		while (v[re.lastIndex] === ' ') re.lastIndex++;
	}
	if (consumed === 0 || consumed !== v.trimEnd().length) return undefined;
	return Math.round(total);
}

/** A platform reset header as a wait from now. */
export function parseResetHeader(format: ResetHeaderFormat, value: string, now: number): ParsedWait {
	const v = value.trim();
	const num = /^-?\d+(\.\d+)?$/.test(v) ? parseFloat(v) : undefined;
	const bad: ParsedWait = { ok: false, warning: `reset header value "${v.slice(0, 60)}" is not in the expected ${format} form` };
	switch (format) {
		case 'epochSeconds':
			return num === undefined ? bad : { ok: true, waitMs: Math.max(0, Math.round(num * 1000 - now)) };
		case 'epochMs':
			return num === undefined ? bad : { ok: true, waitMs: Math.max(0, Math.round(num - now)) };
		case 'relativeSeconds':
			return num === undefined ? bad : { ok: true, waitMs: Math.max(0, Math.round(num * 1000)) };
		case 'relativeMs':
		case 'windowMs':
			return num === undefined ? bad : { ok: true, waitMs: Math.max(0, Math.round(num)) };
		case 'duration': {
			const d = parseDuration(v);
			return d === undefined ? bad : { ok: true, waitMs: d };
		}
		case 'rfc3339': {
			const t = Date.parse(v);
			return Number.isFinite(t) ? { ok: true, waitMs: Math.max(0, t - now) } : bad;
		}
	}
}
