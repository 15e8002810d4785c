// Pattern rules for free text that is not (or no longer) valid JSON: header dumps, cookie strings, query strings,
// auth schemes, and JSON fragments, also when the text is JSON-escaped once or more (\n, \" inside a message).
import { REDACTED, isSecretName, type SecretNames } from './names';
import { maskPathSecrets, maskUserinfo } from './url';

// After "Basic"/"Token", prose such as "token refresh" is not a credential: a secret has a digit or symbol, or is long.
function looksLikeCredential(value: string): boolean {
	return value.length >= 20 || /[0-9._~+/=-]/.test(value);
}

// A value runs to the end of its line: a real line break, an escaped one (\n, \\n …), a quote (escaped or not).
const LINE_VALUE = String.raw`(?:[^\s"'\\]|\\(?![nrt"\\]))(?:[^\r\n"\\]|\\(?![nrt"\\]))*`;
// One token: also stops at the separators of cookie and query strings (; & ,) and closing brackets.
const TOKEN_VALUE = String.raw`(?:[^\s&;,"'})\\]|\\(?![nrt"\\]))+`;
// Where a header line starts: text start, a line break, an escaped line break, or the quote opening a string.
const LINE_START = String.raw`(^|[\r\n]|\\+[nr]|\\*")`;

const HEADER_LINE = new RegExp(`${LINE_START}([ \\t]*)([A-Za-z][A-Za-z0-9_.-]{0,63})([ \\t]*:[ \\t]*)(${LINE_VALUE})`, 'g');
const COOKIE_LINE = new RegExp(`(^|[^A-Za-z0-9_-]|\\\\[nrt])((?:set-)?cookie[ \\t]*:[ \\t]*)(${LINE_VALUE})`, 'gi');
const PAIR = new RegExp(`(^|[\\s?&;,{(]|\\\\+[nrt]|\\\\*"|')([A-Za-z][A-Za-z0-9_.-]{1,63})(\\s*[:=]\\s*)(?!\\[redacted\\]|//|(?:Bearer|Basic|Token)\\s)(${TOKEN_VALUE})`, 'g');
// "name": "value" with the quotes at any escape level (\"name\":\"value\"); the value ends at a quote before , } ] or the end.
const JSON_FIELD = /(\\*")([^"\\\r\n]{1,64})(\\*")(\s*:\s*)(\\*")([^\r\n]{0,4000}?)(\\*"(?=\s*(?:[,}\]]|\\+[nr]|$))|$)/g;
const AUTH_SCHEME = /\b(Bearer|Basic|Token)\s+([A-Za-z0-9._~+/=-]{6,})/gi;
// name: "value", name='value', { 'x-api-key': 'abc' } (util.inspect): the quoted value, at its own escape level
const QUOTED = /(^|[\s?&;,{(]|\\+[nrt])([A-Za-z][A-Za-z0-9_.-]{1,63}|'[^'\\\r\n]{1,64}')(\s*[:=]\s*)(\\*)(["'])([^\r\n]{1,4000}?)\4\5/g;
// A value that is already masked, with or without its auth scheme in front.
const MASKED = /^(?:[A-Za-z]+ )?\[redacted\]$/;

const unquote = (name: string) => name.replace(/^'|'$/g, '');

/** Masks credentials in free text by pattern; `names` adds the user's own secret names. */
export function redactPatterns(text: string, names?: SecretNames): string {
	const secret = (n: string) => isSecretName(unquote(n), names);
	return maskPathSecrets(maskUserinfo(text))
		.replace(AUTH_SCHEME, (m, scheme: string, value: string) => (/^bearer$/i.test(scheme) || looksLikeCredential(value) ? `${scheme} ${REDACTED}` : m))
		.replace(JSON_FIELD, (m, q1: string, name: string, q2: string, sep: string, q3: string, value: string, end: string) =>
			q1 === q2 && q2 === q3 && secret(name) && value !== '' && value !== REDACTED ? `${q1}${name}${q2}${sep}${q3}${REDACTED}${end}` : m,
		)
		.replace(QUOTED, (m, lead: string, name: string, sep: string, esc: string, q: string, value: string) =>
			secret(name) && !MASKED.test(value) ? `${lead}${name}${sep}${esc}${q}${REDACTED}${esc}${q}` : m,
		)
		// "X-API-Key: abc" as a line of a header dump: everything to the end of that line, never into the next header
		.replace(HEADER_LINE, (m, lead: string, pad: string, name: string, sep: string, value: string) =>
			secret(name) && !MASKED.test(value.trim()) ? `${lead}${pad}${name}${sep}${REDACTED}` : m,
		)
		// "cookie: a=1; b=2" anywhere in a line: every cookie of it
		.replace(COOKIE_LINE, (m, lead: string, name: string, value: string) => (MASKED.test(value.trim()) ? m : `${lead}${name}${REDACTED}`))
		// name=value and name: value inside a line (query strings, form bodies, "sid=…; theme=dark", "api_key: …")
		.replace(PAIR, (m, lead: string, name: string, sep: string) => (secret(name) ? `${lead}${name}${sep}${REDACTED}` : m));
}
