// Keeps secrets (authorization, API keys, tokens, cookies) out of anything recorded or output.
export const REDACTED = '[redacted]';

// "x-ratelimit-remaining-tokens" is a counter, not a secret: token only as a whole last word.
const SECRET_NAME = /(authorization|cookie|api[-_]?key|apikey|secret|password|passwd|credential|signature|private[-_]?key|session[-_]?id|(^|[-_])(session|token|auth|key|sig|jwt)$)/i;
// camelCase names: apiToken, accessToken, sessionToken, accessKey (a capital marks the word; "monkey" is no key).
const CAMEL_SECRET_NAME = /[a-z0-9](Session|Token|Auth|Key|Sig|Jwt|Secret|Password)$/;

// An idempotency key identifies an operation, it grants nothing: it stays readable for diagnosis and replay.
const NOT_SECRET = /^(x-)?idempotency[-_]?key$/i;

export function isSecretName(name: string): boolean {
	return !NOT_SECRET.test(name) && (SECRET_NAME.test(name) || CAMEL_SECRET_NAME.test(name));
}

// After "Basic"/"Token", prose such as "token refresh" is not a credential: a secret has a digit or symbol, or is long.
function looksLikeCredential(value: string): boolean {
	return value.length >= 20 || /[0-9._~+/=-]/.test(value);
}

/** Masks credentials inside free text: auth schemes, secret-named fields and parameters, URL passwords. */
export function redactText(text: string): string {
	return (
		text
			.replace(/\b(Bearer|Basic|Token)\s+([A-Za-z0-9._~+/=-]{6,})/gi, (m, scheme: string, value: string) =>
				/^bearer$/i.test(scheme) || looksLikeCredential(value) ? `${scheme} ${REDACTED}` : m,
			)
			// user:password@ inside any URL, valid or not
			.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:)[^\s@/]+@/gi, `$1${REDACTED}@`)
			// "name":"value" in JSON text, where the name says secret (x-api-key, cookie, apiToken, …)
			.replace(/"([^"\\]{1,64})"(\s*:\s*)"(?:[^"\\]|\\.)*"/g, (m, name: string, sep: string) =>
				isSecretName(name) ? `"${name}"${sep}"${REDACTED}"` : m,
			)
			// name: value and name=value in headers dumps, cookies and query strings (X-API-Key: …, sid=…, ?apiToken=…)
			.replace(/(^|[\s?&;,{(])([A-Za-z][A-Za-z0-9_.-]{1,63})(\s*[:=]\s*)(?!\[redacted\]|\/\/|(?:Bearer|Basic|Token)\s)([^\s&;,"'})]+)/g, (m, lead: string, name: string, sep: string) =>
				isSecretName(name) ? `${lead}${name}${sep}${REDACTED}` : m,
			)
			.replace(/(\b(?:set-)?cookie\s*:\s*)[^\r\n"]+/gi, `$1${REDACTED}`)
	);
}

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
	for (const v of values) if (typeof v === 'string' && v.length >= 4) set.add(v);
	return [...set].sort((a, b) => b.length - a.length);
}

export function redactHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(headers ?? {})) {
		if (v === undefined || v === null) continue;
		const value = Array.isArray(v) ? v.join(', ') : String(v);
		out[k] = isSecretName(k) ? REDACTED : redactText(value);
	}
	return out;
}

export function redactUrl(url: string): string {
	try {
		const u = new URL(url);
		if (u.password) u.password = REDACTED;
		for (const name of [...u.searchParams.keys()]) {
			if (isSecretName(name) || /^(hapikey|access_token|refresh_token|code)$/i.test(name)) u.searchParams.set(name, REDACTED);
		}
		return u.toString();
	} catch {
		return redactText(url);
	}
}

/** A copy of any JSON-like value with secret-named keys masked and secrets in strings scrubbed. */
export function redactDeep<T>(value: T, depth = 0, secrets: readonly string[] = []): T {
	if (depth > 20) return value;
	if (typeof value === 'string') return redactText(scrubSecrets(value, secrets)) as unknown as T;
	if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1, secrets)) as unknown as T;
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
			out[k] = isSecretName(k) && v !== null && typeof v !== 'object' ? REDACTED : redactDeep(v, depth + 1, secrets);
		}
		return out as T;
	}
	return value;
}
