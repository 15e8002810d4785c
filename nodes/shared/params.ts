// Turns the node's raw parameter values into a request spec and policy overrides; pure, so it is unit-tested without n8n.
import type { BodyRule, JitterMode, ResultClass, RetryPolicy } from '../../src/types';
import { ConfigError } from './configError';
import { keyFromValue } from './keyValue';

export type BodyType = 'none' | 'json' | 'form' | 'raw';
export type ResponseFormat = 'auto' | 'json' | 'text';
export type IdempotencyMode = 'none' | 'auto' | 'custom';

export interface NameValue {
	name?: string;
	value?: unknown;
}

/** What the item loop reads from n8n for one item, before any validation. */
export interface RawRequestParams {
	method: string;
	url: string;
	queryParameters?: NameValue[];
	headerParameters?: NameValue[];
	bodyType: BodyType;
	jsonBody?: unknown;
	formParameters?: NameValue[];
	rawBody?: string;
	rawContentType?: string;
}

export interface RequestSpec {
	method: string;
	url: string;
	/** A name given more than once (or a list from an expression) carries every value, sent as name=a&name=b. */
	qs: Record<string, string | string[]>;
	headers: Record<string, string>;
	/** Already serialised: a JSON string, a urlencoded string or the raw text. */
	body?: string;
}

export interface RawOptions {
	maxAttempts?: number;
	baseDelayMs?: number;
	maxDelayMs?: number;
	maxRetryWindowMs?: number;
	timeoutMs?: number;
	retryOnStatus?: string;
	permanentStatus?: string;
	bodyRules?: unknown;
	jitter?: string;
	concurrency?: number;
	idempotencyMode?: string;
	idempotencyKey?: string;
	idempotencyHeader?: string;
	retryNonIdempotent?: boolean;
	responseFormat?: string;
}

export interface NodeOptions {
	overrides: Partial<RetryPolicy>;
	userRules: BodyRule[];
	concurrency: number;
	idempotencyMode: IdempotencyMode;
	customIdempotencyKey?: string;
	idempotencyHeader?: string;
	responseFormat: ResponseFormat;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const JITTERS: JitterMode[] = ['full', 'equal', 'additive', 'decorrelated', 'none'];
const CLASSES: ResultClass[] = ['success', 'transient', 'permanent', 'quota-wait', 'refresh-auth', 'conflict', 'partial', 'ambiguous'];

/** Parse outside the catch so the ConfigError is thrown from plain code. */
function parseJson(text: string, parameter: string, label: string): unknown {
	let problem: string | undefined;
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (e) {
		problem = (e as Error).message;
	}
	if (problem !== undefined) throw new ConfigError(parameter, `${label} is not valid JSON: ${problem}`);
	return value;
}

function isRegex(source: string): boolean {
	try {
		new RegExp(source, 'i');
		return true;
	} catch {
		return false;
	}
}

/** RFC 9110 token: what Node's HTTP client accepts as a header name; anything else fails before a byte is sent. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Caught here, a bad name is a configuration error; caught by the HTTP client, it looks like a network failure. */
function checkHeaderName(parameter: string, name: string): void {
	if (!HEADER_NAME.test(name)) throw new ConfigError(parameter, `"${name.slice(0, 60)}" is not a valid header name (letters, digits and - only; no spaces)`);
}

/** A header value with a line break would split the request (or be refused by the client as a network error). */
function checkHeaderValue(parameter: string, what: string, value: string): void {
	if (/[\r\n\0]/.test(value)) throw new ConfigError(parameter, `${what} contains a line break`);
}

/** The name/value rows of a list parameter, in order; a value that is a list (from an expression) gives one row each. */
function rows(list: NameValue[] | undefined, parameter: string): Array<[string, string]> {
	const out: Array<[string, string]> = [];
	for (const p of list ?? []) {
		const name = String(p.name ?? '').trim();
		if (!name) {
			if (p.value !== undefined && p.value !== '') throw new ConfigError(parameter, 'A name is empty');
			continue;
		}
		const values = Array.isArray(p.value) ? (p.value as unknown[]) : [p.value];
		for (const v of values) out.push([name, v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)]);
	}
	return out;
}

/** Headers: a name once (a second one would silently replace the first), a value without line breaks. */
function headerPairs(list: NameValue[] | undefined): Record<string, string> {
	const out: Record<string, string> = {};
	const seen = new Set<string>();
	for (const [name, value] of rows(list, 'headerParameters')) {
		checkHeaderName('headerParameters', name);
		checkHeaderValue('headerParameters', `The value of header "${name}"`, value);
		if (seen.has(name.toLowerCase())) throw new ConfigError('headerParameters', `Header "${name}" is given twice (or its expression gave a list); join the values into one`);
		seen.add(name.toLowerCase());
		out[name] = value;
	}
	return out;
}

/** Query parameters: a name given twice keeps both values, in order (name=a&name=b), as n8n's HTTP Request does. */
function queryPairs(list: NameValue[] | undefined): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const [name, value] of rows(list, 'queryParameters')) {
		const had = out[name];
		out[name] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value];
	}
	return out;
}

export function parseUrl(url: string): string {
	const text = String(url ?? '').trim();
	// Most often an expression such as {{ $json.website }} that found nothing in this item.
	if (!text) throw new ConfigError('url', 'URL is empty (if it is an expression, it gave nothing for this item)');
	const parsed = URL.canParse(text) ? new URL(text) : undefined;
	if (!parsed) throw new ConfigError('url', `URL "${text}" is not a valid absolute URL`);
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw new ConfigError('url', `URL "${text}" must start with http:// or https://`);
	}
	return text;
}

function serialiseBody(raw: RawRequestParams, headers: Record<string, string>): string | undefined {
	const setType = (type: string) => {
		if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = type;
	};
	switch (raw.bodyType) {
		case 'none':
			return undefined;
		case 'json': {
			// An expression that fails for one item evaluates to nothing: sending {} instead would lose that record.
			if (raw.jsonBody === undefined || raw.jsonBody === null || (typeof raw.jsonBody === 'string' && raw.jsonBody.trim() === '')) {
				throw new ConfigError('jsonBody', 'JSON Body is empty for this item (its expression evaluated to nothing); nothing was sent');
			}
			const value = typeof raw.jsonBody === 'string' ? parseJson(raw.jsonBody, 'jsonBody', 'JSON Body') : raw.jsonBody;
			setType('application/json');
			return JSON.stringify(value);
		}
		case 'form':
			setType('application/x-www-form-urlencoded');
			return new URLSearchParams(rows(raw.formParameters, 'formParameters')).toString();
		case 'raw':
			setType(String(raw.rawContentType || 'text/plain'));
			return String(raw.rawBody ?? '');
		default:
			throw new ConfigError('bodyType', `Unknown body type "${String(raw.bodyType)}"`);
	}
}

/** The URL as sent, query included: what the engine's route rules and the Failed item's report see. */
export function fullUrl(spec: Pick<RequestSpec, 'url' | 'qs'>): string {
	const u = new URL(spec.url);
	for (const [k, v] of Object.entries(spec.qs)) for (const one of Array.isArray(v) ? v : [v]) u.searchParams.append(k, one);
	return u.toString();
}

export function parseRequest(raw: RawRequestParams): RequestSpec {
	const method = String(raw.method ?? 'GET').toUpperCase();
	if (!METHODS.includes(method)) throw new ConfigError('method', `Method "${method}" is not supported`);
	const url = parseUrl(raw.url);
	const qs = queryPairs(raw.queryParameters);
	const headers = headerPairs(raw.headerParameters);
	const body = serialiseBody(raw, headers);
	return { method, url, qs, headers, body };
}

export function parseStatusList(text: string | undefined, parameter: string): number[] | undefined {
	if (text === undefined || String(text).trim() === '') return undefined;
	return String(text)
		.split(/[\s,;]+/)
		.filter(Boolean)
		.map((s) => {
			const n = Number(s);
			if (!Number.isInteger(n) || n < 100 || n > 599) {
				throw new ConfigError(parameter, `"${s}" is not an HTTP status code (100–599)`);
			}
			return n;
		});
}

export function parseBodyRules(value: unknown): BodyRule[] {
	if (value === undefined || value === null || value === '') return [];
	let rules: unknown = value;
	if (typeof rules === 'string') {
		if (rules.trim() === '') return [];
		rules = parseJson(rules, 'options.bodyRules', 'Body Rules');
	}
	if (!Array.isArray(rules)) throw new ConfigError('options.bodyRules', 'Body Rules must be a JSON array of rules');
	return rules.map((r, i) => {
		const rule = r as BodyRule;
		if (!rule || typeof rule !== 'object' || typeof rule.match !== 'object' || rule.match === null) {
			throw new ConfigError('options.bodyRules', `Rule ${i} needs a "match" object`);
		}
		if (!CLASSES.includes(rule.class)) {
			throw new ConfigError('options.bodyRules', `Rule ${i} has class "${String(rule.class)}"; use one of ${CLASSES.join(', ')}`);
		}
		if (rule.match.bodyRegex !== undefined && !isRegex(rule.match.bodyRegex)) {
			throw new ConfigError('options.bodyRules', `Rule ${i} has an invalid bodyRegex`);
		}
		if (rule.match.pathRegex !== undefined && !isRegex(rule.match.pathRegex)) {
			throw new ConfigError('options.bodyRules', `Rule ${i} has an invalid pathRegex`);
		}
		return { ...rule, id: rule.id ? String(rule.id) : `user.${i + 1}` };
	});
}

function positive(value: number | undefined, parameter: string, min: number): number | undefined {
	if (value === undefined || value === null || (value as unknown) === '') return undefined;
	const n = Number(value);
	if (!Number.isFinite(n) || n < min) throw new ConfigError(parameter, `Must be a number ≥ ${min}`);
	return n;
}

export function parseOptions(o: RawOptions): NodeOptions {
	const overrides: Partial<RetryPolicy> = {};
	const set = <K extends keyof RetryPolicy>(k: K, v: RetryPolicy[K] | undefined) => {
		if (v !== undefined) overrides[k] = v;
	};
	// 0 is the option's default in the editor and means "keep the preset's value".
	const orPreset = (v: number | undefined) => (v === 0 ? undefined : v);
	set('maxAttempts', orPreset(positive(o.maxAttempts, 'options.maxAttempts', 0)));
	set('baseDelayMs', orPreset(positive(o.baseDelayMs, 'options.baseDelayMs', 0)));
	set('maxDelayMs', orPreset(positive(o.maxDelayMs, 'options.maxDelayMs', 0)));
	set('maxRetryWindowMs', orPreset(positive(o.maxRetryWindowMs, 'options.maxRetryWindowMs', 0)));
	set('timeoutMs', orPreset(positive(o.timeoutMs, 'options.timeoutMs', 0)));
	set('retryOnStatus', parseStatusList(o.retryOnStatus, 'options.retryOnStatus'));
	set('permanentStatus', parseStatusList(o.permanentStatus, 'options.permanentStatus'));
	if (o.jitter !== undefined && o.jitter !== '') {
		if (!JITTERS.includes(o.jitter as JitterMode)) throw new ConfigError('options.jitter', `Unknown jitter "${o.jitter}"`);
		overrides.jitter = o.jitter as JitterMode;
	}
	if (o.retryNonIdempotent !== undefined) overrides.retryNonIdempotent = Boolean(o.retryNonIdempotent);
	const mode = (o.idempotencyMode || 'none') as IdempotencyMode;
	if (!['none', 'auto', 'custom'].includes(mode)) throw new ConfigError('options.idempotencyMode', `Unknown mode "${mode}"`);
	const customKey = mode === 'custom' ? keyFromValue(o.idempotencyKey, 'options.idempotencyKey', 'Idempotency Key') : undefined;
	if (customKey) checkHeaderValue('options.idempotencyKey', 'Idempotency Key', customKey);
	const keyHeader = o.idempotencyHeader ? String(o.idempotencyHeader).trim() : undefined;
	if (keyHeader) checkHeaderName('options.idempotencyHeader', keyHeader);
	const format = (o.responseFormat || 'auto') as ResponseFormat;
	if (!['auto', 'json', 'text'].includes(format)) throw new ConfigError('options.responseFormat', `Unknown format "${format}"`);
	return {
		overrides,
		userRules: parseBodyRules(o.bodyRules),
		concurrency: Math.max(1, Math.floor(positive(o.concurrency, 'options.concurrency', 1) ?? 5)),
		idempotencyMode: mode,
		customIdempotencyKey: mode === 'custom' ? customKey : undefined,
		idempotencyHeader: keyHeader,
		responseFormat: format,
	};
}
