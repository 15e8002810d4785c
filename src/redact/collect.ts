// The literal secrets a structure carries: an n8n HTTP Request error holds the request it sent (options.headers with
// the credential's header, options.url, options.data), so its values can be scrubbed wherever the server echoed them.
import { REDACTED, isHeadersKey, isSecretHeader, isSecretName, type SecretNames } from './names';
import { urlSecrets } from './url';

const COOKIE_ATTRIBUTES = /^(path|domain|expires|max-age|samesite|secure|httponly|priority|partitioned)$/i;
// Live objects an error may hold (ClientRequest, sockets, agents): never walked.
const SKIP = new Set(['stack', 'request', 'socket', 'agent', 'httpAgent', 'httpsAgent', 'res', 'req']);
/** Collected values shorter than this are not scrubbed as literals: "true" or "1234" would mangle unrelated text. */
const MIN_LITERAL = 6;

function plainOrError(v: object): boolean {
	const proto = Object.getPrototypeOf(v) as unknown;
	return Array.isArray(v) || proto === Object.prototype || proto === null || v instanceof Error;
}

function decodeBasic(b64: string): string | undefined {
	const s = Buffer.from(b64, 'base64').toString('utf8');
	return /^[\x20-\x7e]+:[\x20-\x7e]+$/.test(s) ? s : undefined;
}

/** A secret header's value and its parts: the token after Bearer/Basic, Basic's password, each cookie's value. */
function credentialParts(name: string, value: string, out: string[]): void {
	const v = value.trim();
	out.push(v);
	const scheme = /^(Bearer|Basic|Token|Digest)\s+(\S+)/i.exec(v);
	if (scheme) {
		out.push(scheme[2]);
		const basic = /^basic$/i.test(scheme[1]) ? decodeBasic(scheme[2]) : undefined;
		if (basic) out.push(basic, basic.slice(basic.indexOf(':') + 1));
	}
	if (/cookie/i.test(name)) {
		for (const pair of v.split(/[;,]\s*/)) {
			const eq = pair.indexOf('=');
			if (eq > 0 && !COOKIE_ATTRIBUTES.test(pair.slice(0, eq).trim())) out.push(pair.slice(eq + 1).trim());
		}
	}
}

/** A request body as text: JSON fields and form fields with secret names. */
function bodySecrets(body: string, names: SecretNames, out: string[], walk: (v: unknown) => void): void {
	const t = body.trim();
	if (/^[[{]/.test(t)) {
		try {
			walk(JSON.parse(t));
			return;
		} catch {
			/* not JSON: maybe a form */
		}
	}
	if (/^[^\s=&]+=[^\s&]*(&[^\s=&]+=[^\s&]*)*$/.test(t)) for (const [k, v] of new URLSearchParams(t)) if (isSecretName(k, names)) out.push(v);
}

/**
 * Every secret value found in `value` by structure: secret-named fields, secret (or token-looking custom) headers of
 * header objects, secrets in URLs and in request bodies. Errors are walked by their own properties, live objects not.
 */
export function collectSecrets(value: unknown, names?: SecretNames): string[] {
	const out: string[] = [];
	const seen = new WeakSet<object>();
	const walk = (v: unknown, key: string | undefined, depth: number): void => {
		if (depth > 12) return;
		if (typeof v === 'string') {
			if (key !== undefined && isSecretName(key, names)) credentialParts(key, v, out);
			if (/^(https?:\/\/|\/)\S+$/i.test(v.trim())) out.push(...urlSecrets(v.trim(), names));
			if (key && /^(data|body)$/i.test(key)) bodySecrets(v, names, out, (x) => walk(x, undefined, depth + 1));
			return;
		}
		if (!v || typeof v !== 'object' || seen.has(v) || !plainOrError(v)) return;
		seen.add(v);
		const keys = v instanceof Error ? Object.getOwnPropertyNames(v) : Object.keys(v);
		for (const k of keys) {
			if (SKIP.has(k)) continue;
			const child = (v as Record<string, unknown>)[k];
			if (isHeadersKey(k) && child && typeof child === 'object' && !Array.isArray(child)) {
				for (const [h, hv] of Object.entries(child as Record<string, unknown>)) {
					for (const one of Array.isArray(hv) ? hv : [hv]) if (typeof one === 'string' && isSecretHeader(h, one, names)) credentialParts(h, one, out);
				}
			} else walk(child, Array.isArray(v) ? key : k, depth + 1);
		}
	};
	walk(value, undefined, 0);
	return [...new Set(out)].filter((s) => s.length >= MIN_LITERAL && s !== REDACTED && !s.includes(REDACTED));
}
