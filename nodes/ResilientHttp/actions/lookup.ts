// Builds the engine's reconcile lookup for one item from the "Look Up Lost Writes" parameters.
import { parseJsonPath } from '../../../src';
import type { AttemptResult, ReconcileOptions } from '../../../src/types';
import { ConfigError } from '../../shared/configError';
import { parseUrl } from '../../shared/params';
import type { SendSpec } from '../../shared/transport';
import { messageOf } from '../../shared/errors';

export interface RawLookup {
	url?: unknown;
	foundWhen?: unknown;
	equals?: unknown;
	maxTries?: unknown;
	intervalMs?: unknown;
	notFound?: unknown;
}

export interface LookupSpec {
	url: string;
	foundWhen: ReconcileOptions['foundWhen'];
	maxTries: number;
	minIntervalMs: number;
	resendWhenNotFound: boolean;
}

function whole(v: unknown, parameter: string, min: number, max: number): number {
	const n = Number(v);
	if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(parameter, `must be a whole number from ${min} to ${max}, got "${String(v)}"`);
	return n;
}

function problemOf(check: () => unknown): string | undefined {
	try {
		check();
		return undefined;
	} catch (e) {
		return messageOf(e);
	}
}

/** Validates the parameters of one item; each error names the parameter at fault. */
export function parseLookup(raw: RawLookup): LookupSpec {
	// Problems are caught as text and thrown from plain code, as params.ts does.
	const url = String(raw.url ?? '').trim();
	const urlProblem = problemOf(() => parseUrl(url));
	if (urlProblem) throw new ConfigError('lookupUrl', urlProblem.replace(/^URL/, 'Lookup URL'));
	const path = String(raw.foundWhen ?? '').trim();
	const pathProblem = problemOf(() => parseJsonPath(path));
	if (pathProblem) throw new ConfigError('lookupFoundWhen', pathProblem);
	const equals = raw.equals === undefined || raw.equals === null || String(raw.equals) === '' ? undefined : String(raw.equals);
	const notFound = String(raw.notFound ?? 'flag');
	if (notFound !== 'flag' && notFound !== 'resend') throw new ConfigError('lookupNotFound', `Unknown choice "${notFound}"`);
	return {
		url,
		foundWhen: equals === undefined ? { jsonPath: path, exists: true } : { jsonPath: path, equals },
		maxTries: whole(raw.maxTries ?? 3, 'lookupMaxTries', 1, 20),
		minIntervalMs: whole(raw.intervalMs ?? 2000, 'lookupIntervalMs', 0, 3_600_000),
		resendWhenNotFound: notFound === 'resend',
	};
}

/** The GET sent for a lookup: the write's headers (auth a user set there included) without its body's and key's. */
export function lookupRequest(lookup: LookupSpec, write: SendSpec, idempotencyHeader: string | undefined): SendSpec {
	const drop = new Set(['content-type', 'content-length', (idempotencyHeader ?? '').toLowerCase()]);
	const headers = Object.fromEntries(Object.entries(write.headers).filter(([k]) => !drop.has(k.toLowerCase())));
	return { method: 'GET', url: lookup.url, qs: {}, headers, timeoutMs: write.timeoutMs };
}

export function reconcileOptions(lookup: LookupSpec, send: (signal?: AbortSignal) => Promise<AttemptResult>): ReconcileOptions {
	return {
		send: (_n, signal) => send(signal),
		foundWhen: lookup.foundWhen,
		minIntervalMs: lookup.minIntervalMs,
		maxTries: lookup.maxTries,
		resendWhenNotFound: lookup.resendWhenNotFound,
	};
}

export interface ItemLookup {
	spec: LookupSpec;
	request: SendSpec;
}

/** The item's lookup when "Look Up Lost Writes" is on; `read` evaluates a parameter for this item. */
export function readLookup(read: <T>(name: string, fallback: T) => T, write: SendSpec, idempotencyHeader: string): ItemLookup | undefined {
	if (!read('lookUpLostWrites', false)) return undefined;
	const spec = parseLookup({
		url: read('lookupUrl', ''),
		foundWhen: read('lookupFoundWhen', '$.data[0].id'),
		equals: read('lookupEquals', ''),
		maxTries: read('lookupMaxTries', 3),
		intervalMs: read('lookupIntervalMs', 2000),
		notFound: read('lookupNotFound', 'flag'),
	});
	return { spec, request: lookupRequest(spec, write, idempotencyHeader) };
}
