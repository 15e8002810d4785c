// Keeps secrets (authorization, API keys, tokens, cookies) out of anything recorded or output: by structure first
// (secret-named fields, header objects, JSON inside text), then by pattern, then by the literal values a caller knows.
import { redactEmbedded } from './embedded';
import { REDACTED, isHeadersKey, isSecretHeader, isSecretName, type SecretNames } from './names';
import { redactPatterns } from './text';
import { redactAbsoluteUrl } from './url';

export { REDACTED, isSecretName, isSecretHeader, isHeadersKey, looksLikeToken } from './names';
export { urlSecrets, maskPathSecrets } from './url';

export interface RedactOptions {
	/** Names the user says are secret, on top of the built-in ones (compared case-insensitively). */
	names?: SecretNames;
	/** Literal secret values, removed wherever they appear (longest first: see secretValues). */
	secrets?: readonly string[];
	/** Header objects we did not build (an n8n error's request): custom headers with token-looking values are masked too. */
	headerTokens?: boolean;
}

/** Nesting beyond this is cut, not copied unredacted. */
const MAX_DEPTH = 40;

const looksLikeUrl = (s: string) => /^https?:\/\/\S+$/i.test(s);

/**
 * Removes the literal values of secrets the caller knows it sent (credential fields, secret headers and query
 * values), wherever a server echoed them back, even with no name in front ("invalid key abc123").
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
	let out = text;
	for (const s of secrets) if (s.length >= 4) out = out.split(s).join(REDACTED);
	return out;
}

/** Secret values worth scrubbing: strings of at least 4 characters, longest first so no secret is half-replaced. */
export function secretValues(values: Iterable<unknown>): string[] {
	const set = new Set<string>();
	for (const v of values) if (typeof v === 'string' && v.length >= 4 && v !== REDACTED) set.add(v);
	return [...set].sort((a, b) => b.length - a.length);
}

/** Masks credentials inside free text: known literals, JSON inside the text by field name, then the pattern rules. */
export function redactText(text: string, o: RedactOptions = {}, depth = 0): string {
	if (!text) return text;
	let t = o.secrets?.length ? scrubSecrets(text, o.secrets) : text;
	if (depth < MAX_DEPTH) t = redactEmbedded(t, { value: (v) => redactDeep(v, o, depth + 1), text: (s) => redactText(s, o, depth + 1) });
	return redactPatterns(t, o.names);
}

/** A URL as shown or stored: password, token user, secret query values and secret path segments masked. */
export function redactUrl(url: string, names?: SecretNames): string {
	return redactAbsoluteUrl(url, names) ?? redactText(url, { names });
}

/** A string value: a whole URL also gets its query parameters masked by name. */
function redactString(s: string, o: RedactOptions, depth: number): string {
	return redactText(looksLikeUrl(s.trim()) ? redactUrl(s.trim(), o.names) : s, o, depth);
}

export function redactHeaders(headers: Record<string, unknown> | undefined, o: RedactOptions = {}): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(headers ?? {})) {
		if (v === undefined || v === null) continue;
		const value = Array.isArray(v) ? v.join(', ') : String(v);
		const secret = o.headerTokens ? isSecretHeader(k, value, o.names) : isSecretName(k, o.names);
		out[k] = secret ? REDACTED : redactText(value, o);
	}
	return out;
}

/** A copy of any JSON-like value with secret-named keys masked, header objects masked, and every string redacted. */
export function redactDeep<T>(value: T, o: RedactOptions = {}, depth = 0): T {
	if (depth > MAX_DEPTH) return (value !== null && typeof value === 'object' ? REDACTED : value) as T;
	if (typeof value === 'string') return redactString(value, o, depth) as unknown as T;
	if (Array.isArray(value)) return value.map((v) => redactDeep(v, o, depth + 1)) as unknown as T;
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
			const primitive = v !== null && typeof v !== 'object';
			if (primitive && isSecretName(k, o.names)) out[k] = REDACTED;
			else if (isHeadersKey(k) && v && typeof v === 'object' && !Array.isArray(v)) out[k] = redactHeaderObject(v as Record<string, unknown>, o, depth + 1);
			else out[k] = redactDeep(v, o, depth + 1);
		}
		return out as T;
	}
	return value;
}

// Headers keep their shape (a value may be a list, as set-cookie is); only the values change.
function redactHeaderObject(h: Record<string, unknown>, o: RedactOptions, depth: number): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(h)) {
		const text = Array.isArray(v) ? v.join(', ') : v;
		const secret = v !== null && v !== undefined && (o.headerTokens ? isSecretHeader(k, text, o.names) : isSecretName(k, o.names));
		out[k] = secret ? REDACTED : redactDeep(v, o, depth);
	}
	return out;
}
