// Whether one data-driven BodyRule fits a response.
import type { BodyRule, ResponseSnapshot } from '../types';
import { getPath } from './jsonBody';

function statusMatches(spec: number | number[] | string | undefined, status: number): boolean {
	if (spec === undefined) return true;
	if (typeof spec === 'number') return spec === status;
	if (Array.isArray(spec)) return spec.map(Number).includes(status);
	const s = String(spec).trim().toLowerCase();
	if (/^\dxx$/.test(s)) return Math.floor(status / 100) === Number(s[0]);
	return s
		.split(/[\s,]+/)
		.filter(Boolean)
		.some((part) => (/^\dxx$/.test(part) ? Math.floor(status / 100) === Number(part[0]) : Number(part) === status));
}

const regexCache = new Map<string, RegExp>();
export function cachedRegex(source: string, flags = 'i'): RegExp {
	const key = `${flags}/${source}`;
	let re = regexCache.get(key);
	if (!re) {
		re = new RegExp(source, flags);
		regexCache.set(key, re);
	}
	return re;
}

function headerMatches(expected: string, actual: string | undefined): boolean {
	if (actual === undefined) return false;
	if (expected.length > 1 && expected.startsWith('/') && expected.endsWith('/')) return cachedRegex(expected.slice(1, -1)).test(actual);
	return expected.trim().toLowerCase() === actual.trim().toLowerCase();
}

function valueEquals(a: unknown, b: string | number | boolean): boolean {
	return a !== undefined && a !== null && String(a) === String(b);
}

/** The path of a request URL (relative ones too), for route rules. */
export function pathOf(url: string): string {
	try {
		return new URL(url, 'http://relative.invalid').pathname;
	} catch {
		return url.split('?')[0];
	}
}

export function ruleMatches(rule: BodyRule, response: ResponseSnapshot, parsed: unknown, method: string, url?: string): boolean {
	const m = rule.match ?? {};
	if (!statusMatches(m.status, response.status)) return false;
	if (m.methods && m.methods.length > 0 && !m.methods.map((x) => x.toUpperCase()).includes(method.toUpperCase())) return false;
	// A rule for one route only (a batch endpoint) must not claim the same body shape elsewhere (a search's results).
	if (m.pathRegex !== undefined && (url === undefined || !cachedRegex(m.pathRegex).test(pathOf(url)))) return false;
	if (m.headers) {
		for (const [name, expected] of Object.entries(m.headers)) {
			if (!headerMatches(String(expected), response.headers[name.toLowerCase()])) return false;
		}
	}
	if (m.bodyRegex !== undefined && !cachedRegex(m.bodyRegex).test(response.body)) return false;
	if (m.jsonPath !== undefined) {
		const v = getPath(parsed, m.jsonPath);
		if (m.equals !== undefined && !valueEquals(v, m.equals)) return false;
		if (m.in !== undefined && !m.in.some((x) => valueEquals(v, x))) return false;
		const wantExists = m.exists ?? (m.equals === undefined && m.in === undefined ? true : undefined);
		if (wantExists === true && (v === undefined || v === null)) return false;
		if (wantExists === false && v !== undefined && v !== null) return false;
	}
	return true;
}

/** Named values pulled from the raw body with each regex's first group. */
export function extractValues(spec: Record<string, string> | undefined, body: string): Record<string, string> | undefined {
	if (!spec) return undefined;
	const out: Record<string, string> = {};
	for (const [name, source] of Object.entries(spec)) {
		const m = cachedRegex(source).exec(body);
		if (m) out[name] = m[1] ?? m[0];
	}
	return Object.keys(out).length > 0 ? out : undefined;
}
