// What a status means when no body rule speaks: the fallback table of the classifier.
import type { ResultClass } from '../types';

export const STATUS_TEXT: Record<number, string> = {
	200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 207: 'Multi-Status',
	300: 'Multiple Choices', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified', 307: 'Temporary Redirect', 308: 'Permanent Redirect',
	400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found',
	405: 'Method Not Allowed', 408: 'Request Timeout', 409: 'Conflict', 410: 'Gone', 413: 'Payload Too Large',
	414: 'URI Too Long', 415: 'Unsupported Media Type', 422: 'Unprocessable Entity', 423: 'Locked', 425: 'Too Early',
	429: 'Too Many Requests', 500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway',
	503: 'Service Unavailable', 504: 'Gateway Timeout', 505: 'HTTP Version Not Supported', 529: 'Overloaded',
};

export interface StatusDefault {
	class: ResultClass;
	detail: string;
}

/** Only GET and HEAD follow redirects (as n8n's own request helpers do): a write is answered by its redirect itself. */
export const FOLLOWS_REDIRECTS = new Set(['GET', 'HEAD']);

function redirectDefault(status: number, method: string, location: string | undefined): StatusDefault {
	const to = location ? ` to ${location.slice(0, 200)}` : '';
	if (FOLLOWS_REDIRECTS.has(method)) return { class: 'permanent', detail: `redirected${to} and not followed (no Location, or too many redirects)` };
	// 303 See Other: the server took the request and points at its result.
	if (status === 303) return { class: 'success', detail: `see other: the server took the ${method} and points${to} for its result` };
	return {
		class: 'permanent',
		detail: `redirected${to}; a ${method} is not followed (a redirect would resend it, or turn it into a GET): use the final URL`,
	};
}

export function defaultForStatus(status: number, method = 'GET', location?: string): StatusDefault {
	if (status >= 200 && status < 300) return { class: 'success', detail: 'success' };
	if (status >= 300 && status < 400) return redirectDefault(status, method.toUpperCase(), location);
	if (status < 200) return { class: 'permanent', detail: 'unexpected status (informational answers are not followed)' };
	switch (status) {
		case 401:
			return { class: 'refresh-auth', detail: 'authentication failed or the token expired' };
		case 403:
			return { class: 'permanent', detail: 'forbidden: missing permission or scope' };
		case 404:
			return { class: 'permanent', detail: 'not found' };
		case 408:
			return { class: 'transient', detail: 'the server timed out waiting for the request' };
		case 409:
			return { class: 'conflict', detail: 'conflict: the object already exists or was changed meanwhile' };
		case 423:
			return { class: 'transient', detail: 'resource locked' };
		case 425:
			return { class: 'transient', detail: 'too early' };
		case 429:
			return { class: 'transient', detail: 'rate limit reached' };
		case 501:
		case 505:
			return { class: 'permanent', detail: 'the server does not support this request' };
	}
	if (status >= 400 && status < 500) return { class: 'permanent', detail: status === 422 || status === 400 ? 'the request was rejected (validation)' : 'the request was rejected' };
	if (status >= 500 && status < 600) return { class: 'transient', detail: 'server error, temporarily unavailable' };
	return { class: 'permanent', detail: 'unknown status' };
}

/** Network errors that are a local mistake, not an outage: retrying cannot help. */
const PERMANENT_NETWORK = new Set([
	'ERR_INVALID_URL',
	'ERR_BAD_OPTION',
	'ERR_BAD_OPTION_VALUE',
	'ERR_UNSUPPORTED_PROTOCOL',
	'ERR_INVALID_ARG_TYPE',
	'ERR_INVALID_CHAR',
	'CERT_HAS_EXPIRED',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export function defaultForNetwork(code: string): StatusDefault {
	if (PERMANENT_NETWORK.has(code)) return { class: 'permanent', detail: 'the request cannot be sent (invalid URL, option or certificate)' };
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') return { class: 'transient', detail: 'timed out' };
	if (code === 'ECONNREFUSED') return { class: 'transient', detail: 'connection refused' };
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { class: 'transient', detail: 'host name could not be resolved' };
	if (code === 'ECONNRESET' || code === 'EPIPE') return { class: 'transient', detail: 'connection reset' };
	return { class: 'transient', detail: 'network error' };
}
