// Keeps secrets (authorization, API keys, tokens, cookies) out of anything recorded or output.
export const REDACTED = '[redacted]';

// "x-ratelimit-remaining-tokens" is a counter, not a secret: token only as a whole last word.
const SECRET_NAME = /(authorization|cookie|api[-_]?key|apikey|secret|password|passwd|credential|signature|private[-_]?key|session[-_]?id|(^|[-_])(session|token|auth|key|sig|jwt)$)/i;

export function isSecretName(name: string): boolean {
	return SECRET_NAME.test(name);
}

// After "Basic"/"Token", prose such as "token refresh" is not a credential: a secret has a digit or symbol, or is long.
function looksLikeCredential(value: string): boolean {
	return value.length >= 20 || /[0-9._~+/=-]/.test(value);
}

/** Masks bearer/basic credentials and token-looking query values inside free text. */
export function redactText(text: string): string {
	return text
		.replace(/\b(Bearer|Basic|Token)\s+([A-Za-z0-9._~+/=-]{6,})/gi, (m, scheme: string, value: string) =>
			/^bearer$/i.test(scheme) || looksLikeCredential(value) ? `${scheme} ${REDACTED}` : m,
		)
		.replace(/([?&](?:access_token|refresh_token|token|api_key|apikey|key|hapikey|client_secret|password|sig|signature)=)[^&\s"']+/gi, `$1${REDACTED}`)
		.replace(/("(?:access_token|refresh_token|id_token|client_secret|password|api_key|apikey|token)"\s*:\s*)"[^"]*"/gi, `$1"${REDACTED}"`);
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
export function redactDeep<T>(value: T, depth = 0): T {
	if (depth > 20) return value;
	if (typeof value === 'string') return redactText(value) as unknown as T;
	if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1)) as unknown as T;
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
			out[k] = isSecretName(k) && v !== null && typeof v !== 'object' ? REDACTED : redactDeep(v, depth + 1);
		}
		return out as T;
	}
	return value;
}
