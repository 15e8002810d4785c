// Which names say "secret", and which header values look like credentials: the vocabulary every redaction rule shares.
export const REDACTED = '[redacted]';

// "x-ratelimit-remaining-tokens" is a counter, not a secret: token only as a whole last word (sid: connect.sid, PHPSESSID).
const SECRET_NAME = /(authorization|cookie|api[-_]?key|apikey|secret|password|passwd|credential|signature|private[-_]?key|session[-_]?id|sessid|(^|[-_.])(session|token|auth|key|sig|sid|jwt)$)/i;
// camelCase names: apiToken, accessToken, sessionToken, accessKey (a capital marks the word; "monkey" is no key).
const CAMEL_SECRET_NAME = /[a-z0-9](Session|Token|Auth|Key|Sig|Jwt|Secret|Password)$/;

// An idempotency key identifies an operation, it grants nothing: it stays readable for diagnosis and replay.
const NOT_SECRET = /^(x-)?idempotency[-_]?key$/i;

/** Extra names a user says are secret (compared case-insensitively), on top of the built-in rules. */
export type SecretNames = readonly string[] | undefined;

export function isSecretName(name: string, extra?: SecretNames): boolean {
	if (extra?.length && extra.some((n) => n.toLowerCase() === name.toLowerCase())) return true;
	return !NOT_SECRET.test(name) && (SECRET_NAME.test(name) || CAMEL_SECRET_NAME.test(name));
}

// Headers that describe a request or response and never carry a credential: a header object keeps them readable.
const PLAIN_HEADER = /^(accept(-.*)?|content-.*|user-agent|host|connection|keep-alive|date|cache-control|pragma|expires|etag|last-modified|location|vary|server|via|origin|referer|te|upgrade|transfer-encoding|trailer|if-.*|range|age|allow|dnt|sec-.*|x-forwarded-.*|x-real-ip|forwarded|x-powered-by|strict-transport-security|access-control-.*|retry-after(-ms)?|(x-)?ratelimit-.*|x-rate-?limit.*|(x-)?request-id|x-correlation-id|traceparent|tracestate|cf-ray|x-amzn-.*|x-envoy-.*|(x-)?idempotency-key|x-http-method-override)$/i;

/** Header objects by their key: headers, requestHeaders, responseHeaders … */
export const isHeadersKey = (k: string): boolean => /^(request|response)?headers$/i.test(k);

/** A value that reads like a credential: long, one word, letters and digits mixed (not a date, a number or prose). */
export function looksLikeToken(value: string): boolean {
	const v = value.trim();
	return v.length >= 12 && !/\s/.test(v) && /\d/.test(v) && /[A-Za-z]/.test(v) && !/^\d{4}-\d\d-\d\d/.test(v);
}

/**
 * In a header object whose headers we did not choose: a secret-named header, or a custom header holding a
 * token-looking value (an httpHeaderAuth credential may use any header name, e.g. "X-Client").
 */
export function isSecretHeader(name: string, value: unknown, extra?: SecretNames): boolean {
	if (isSecretName(name, extra)) return true;
	return !PLAIN_HEADER.test(name) && typeof value === 'string' && looksLikeToken(value);
}
