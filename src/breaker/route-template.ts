// Breakers are per endpoint, not per record: /contacts/123 and /contacts/456 share one breaker.
import { maskPathSecrets } from '../redact/url';

const ID_PATTERNS: RegExp[] = [
	/^\d+$/, // numeric ids
	/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, // UUIDs
	/^[0-9a-f]{16,}$/i, // hex ids (Mongo ObjectId, hashes)
	/^[0-9A-HJKMNP-TV-Z]{26}$/, // ULIDs
	/^[^@/]+@[^@/]+\.[^@/]+$/, // emails used as ids
	/^(?=.*\d)(?=.*[a-zA-Z])[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/, // Salesforce 15/18-character ids
	/^(?=(?:[^\d]*\d){2})(?=.*[a-zA-Z])[A-Za-z0-9_-]{8,}$/, // opaque ids and tokens: 8+ characters, letters and 2+ digits
	/^[a-z]{2,6}_(?=.*\d)[A-Za-z0-9]{8,}$/, // prefixed ids: cus_…, ch_…, msg_…
];

function isId(segment: string): boolean {
	let s = segment;
	try {
		s = decodeURIComponent(segment);
	} catch {
		/* keep the raw segment */
	}
	return ID_PATTERNS.some((re) => re.test(s));
}

/** `https://API.x.com/crm/v3/objects/contacts/123?a=1` → `api.x.com/crm/v3/objects/contacts/:id` (query dropped). */
export function routeTemplate(url: string): string {
	let u: URL;
	try {
		u = new URL(url);
	} catch {
		return 'invalid-url';
	}
	// A breaker key is stored and shown (Redis key names, getState): a bot token or webhook secret must not be in it.
	const path = maskPathSecrets(u.pathname)
		.split('/')
		.map((seg) => (seg && (seg.includes('[redacted]') || isId(seg)) ? ':id' : seg))
		.join('/');
	return `${u.host.toLowerCase()}${path === '/' ? '' : path.replace(/\/+$/, '')}`;
}

/** The default breaker key: method + host + route template, per credential when one is given. */
export function endpointBreakerKey(o: { method: string; url: string; credentialId?: string }): string {
	const base = `${o.method.toUpperCase()} ${routeTemplate(o.url)}`;
	return o.credentialId ? `${base} @${o.credentialId}` : base;
}
