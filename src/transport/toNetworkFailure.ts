// Maps axios / node / fetch errors to a NetworkFailure that says whether the server may have got the request.
import { redactText } from '../redact/redact';
import type { AttemptResult, NetworkFailure } from '../types';

/** Failed before any byte left: DNS, refused, bad URL or option, TLS trust. */
const NOT_SENT = new Set([
	'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL',
	'ERR_INVALID_URL', 'ERR_BAD_OPTION', 'ERR_BAD_OPTION_VALUE', 'ERR_UNSUPPORTED_PROTOCOL', 'ERR_INVALID_ARG_TYPE', 'ERR_INVALID_CHAR',
	'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID',
]);
/** The request (or part of it) may have reached the server. */
const MAYBE_SENT = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

type Errorish = { code?: unknown; message?: unknown; cause?: unknown; name?: unknown; errno?: unknown };

function codeOf(e: Errorish | undefined, depth = 0): string | undefined {
	if (!e || typeof e !== 'object' || depth > 4) return undefined;
	const own = typeof e.code === 'string' && e.code !== '' ? e.code : undefined;
	// axios wraps node errors: ERR_NETWORK / ERR_BAD_RESPONSE tell less than the cause's code.
	if (own && own !== 'ERR_NETWORK' && own !== 'ERR_BAD_RESPONSE' && own !== 'ERR_BAD_REQUEST') return own;
	return codeOf(e.cause as Errorish, depth + 1) ?? own;
}

function codeFromMessage(message: string): string | undefined {
	const m = /\b(E[A-Z]{3,}|ERR_[A-Z_]+)\b/.exec(message);
	if (m) return m[1];
	if (/invalid url|unsupported protocol/i.test(message)) return 'ERR_INVALID_URL';
	if (/socket hang up/i.test(message)) return 'ECONNRESET';
	if (/timeout|timed out/i.test(message)) return 'ETIMEDOUT';
	if (/aborted|canceled|cancelled/i.test(message)) return 'ERR_CANCELED';
	return undefined;
}

export function toNetworkFailure(err: unknown): NetworkFailure {
	const e = (err && typeof err === 'object' ? err : { message: String(err) }) as Errorish;
	const message = typeof e.message === 'string' ? e.message : String(err);
	let code = codeOf(e) ?? codeFromMessage(message) ?? (e.name === 'AbortError' ? 'ERR_CANCELED' : 'UNKNOWN');
	// Without a response, axios's generic codes say less than the message ("Unsupported protocol htp:").
	if (code === 'ERR_NETWORK' || code === 'ERR_BAD_REQUEST') code = codeFromMessage(message) ?? code;
	if (code === 'ECONNABORTED' && /aborted/i.test(message) && !/timeout/i.test(message)) code = 'ECONNABORTED';
	const requestSent: NetworkFailure['requestSent'] = NOT_SENT.has(code) ? false : MAYBE_SENT.has(code) ? true : 'unknown';
	return { code, message: redactText(message).slice(0, 300), requestSent };
}

/** For helpers that throw on HTTP statuses (n8n's, axios defaults): an error with a response becomes that response. */
export function toAttemptResult(err: unknown): AttemptResult {
	const r = (err as { response?: { status?: unknown; headers?: unknown; data?: unknown; body?: unknown } } | undefined)?.response;
	if (r && typeof r.status === 'number' && r.status > 0) {
		return { kind: 'response', response: { status: r.status, headers: lowerCaseHeaders(r.headers), body: bodyToText(r.data ?? r.body) } };
	}
	return { kind: 'network', error: toNetworkFailure(err) };
}

export function lowerCaseHeaders(h: unknown): Record<string, string> {
	const out: Record<string, string> = {};
	if (!h || typeof h !== 'object') return out;
	const entries = typeof (h as { toJSON?: unknown }).toJSON === 'function' ? Object.entries((h as { toJSON(): object }).toJSON()) : Object.entries(h);
	for (const [k, v] of entries) {
		if (v === undefined || v === null) continue;
		out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
	}
	return out;
}

export function bodyToText(data: unknown): string {
	if (data === undefined || data === null) return '';
	if (typeof data === 'string') return data;
	if (Buffer.isBuffer(data)) return data.toString('utf8');
	if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
	try {
		return JSON.stringify(data);
	} catch {
		return String(data);
	}
}
