// Sends one attempt through n8n's own HTTP helpers (credentials applied by n8n) and hands the engine every status.
import type { ICredentialDataDecryptedObject, IExecuteFunctions, IHttpRequestMethods, IHttpRequestOptions } from 'n8n-workflow';

import { FOLLOWS_REDIRECTS, toNetworkFailure } from '../../src';
import { ConfigError } from './configError';
import type { AttemptResult } from '../../src/types';
import { GENERIC_OAUTH2, sendGenericOAuth2, type SendSpec } from './genericOAuth2';

export type { SendSpec } from './genericOAuth2';

interface FullResponse {
	body: unknown;
	headers: Record<string, unknown>;
	statusCode: number;
}

export function flattenHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
	const out: Record<string, string> = {};
	const source =
		headers && typeof (headers as { toJSON?: unknown }).toJSON === 'function'
			? ((headers as { toJSON: () => Record<string, unknown> }).toJSON() as Record<string, unknown>)
			: (headers ?? {});
	for (const [name, value] of Object.entries(source)) {
		if (value === undefined || value === null) continue;
		out[name.toLowerCase()] = Array.isArray(value) ? value.map(String).join(', ') : String(value);
	}
	return out;
}

function bodyText(body: unknown): string {
	if (body === undefined || body === null) return '';
	if (typeof body === 'string') return body;
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	if (body instanceof ArrayBuffer) return Buffer.from(body).toString('utf8');
	return JSON.stringify(body);
}

/**
 * n8n wraps helper errors in NodeApiError, whose class field resets `cause` and whose message is replaced by a
 * friendly text; the original message (with the network code, e.g. "connect ECONNREFUSED …") survives in
 * `messages`. Returns the innermost error with a code, or a plain error carrying the original messages first.
 */
export function unwrapError(err: unknown): unknown {
	let current = err;
	for (let i = 0; i < 5; i++) {
		const c = current as { code?: unknown; isAxiosError?: unknown; cause?: unknown };
		if (!c || typeof c !== 'object') return current;
		if (c.isAxiosError || (typeof c.code === 'string' && c.code !== '')) return current;
		if (!c.cause) break;
		current = c.cause;
	}
	const wrapped = current as { message?: unknown; messages?: unknown; description?: unknown };
	if (wrapped && typeof wrapped === 'object' && Array.isArray(wrapped.messages) && wrapped.messages.length) {
		const texts = [...wrapped.messages, wrapped.message, wrapped.description].filter((t) => typeof t === 'string' && t);
		return new Error([...new Set(texts)].join(' | '));
	}
	return current;
}

export function toHttpOptions(spec: SendSpec, signal?: AbortSignal): IHttpRequestOptions {
	const options: IHttpRequestOptions = {
		method: spec.method as IHttpRequestMethods,
		url: spec.url,
		headers: { ...spec.headers },
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: spec.timeoutMs,
		encoding: 'text',
		json: false,
	};
	if (Object.keys(spec.qs).length) {
		options.qs = { ...spec.qs };
		options.arrayFormat = 'repeat';
	}
	if (spec.body !== undefined && !['GET', 'HEAD'].includes(spec.method)) options.body = spec.body;
	if (signal) options.abortSignal = signal;
	// A followed redirect turns a POST into a GET or sends it again, and the answer at the end (a 503, say) would be
	// taken for the POST's own: a write gets the redirect as its answer, as n8n's older request helper does.
	if (!FOLLOWS_REDIRECTS.has(spec.method.toUpperCase())) options.disableFollowRedirect = true;
	return options;
}

/** What the node adds to every request itself for a credential type n8n does not apply (see handAppliedAuth). */
export interface HandAuth {
	headers?: Record<string, string>;
	qs?: Record<string, string>;
}

/**
 * n8n's Basic and Query Auth credential types carry no `authenticate` rule (its HTTP Request node applies them by
 * hand), so n8n's authenticated helper would send the request without them: the node adds them itself. Read once per
 * execution; undefined for every other type. A credential that cannot be used is a configuration error: nothing goes
 * out without it.
 */
export function handAppliedAuth(credentialType: string | undefined, credential: ICredentialDataDecryptedObject | undefined): HandAuth | undefined {
	if (credentialType !== 'httpBasicAuth' && credentialType !== 'httpQueryAuth') return undefined;
	if (!credential) throw new ConfigError('authentication', `The ${credentialType} credential could not be read: nothing is sent without it`);
	if (credentialType === 'httpBasicAuth') {
		const token = Buffer.from(`${String(credential.user ?? '')}:${String(credential.password ?? '')}`).toString('base64');
		return { headers: { Authorization: `Basic ${token}` } };
	}
	const name = String(credential.name ?? '').trim();
	if (!name) throw new ConfigError('authentication', 'The Query Auth credential has no parameter name: nothing is sent without it');
	return { qs: { [name]: String(credential.value ?? '') } };
}

/** One attempt: never throws for an HTTP status; a thrown network error becomes a NetworkFailure. */
export async function sendAttempt(
	ctx: IExecuteFunctions,
	credentialType: string | undefined,
	spec: SendSpec,
	signal?: AbortSignal,
	handAuth?: HandAuth,
): Promise<AttemptResult> {
	try {
		let res: FullResponse;
		if (credentialType === GENERIC_OAUTH2) {
			res = (await sendGenericOAuth2(ctx, spec)) as FullResponse;
		} else if (handAuth) {
			const signed = { ...spec, headers: { ...spec.headers, ...handAuth.headers }, qs: { ...spec.qs, ...handAuth.qs } };
			res = (await ctx.helpers.httpRequest(toHttpOptions(signed, signal))) as FullResponse;
		} else {
			const options = toHttpOptions(spec, signal);
			res = (credentialType
				? await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType, options)
				: await ctx.helpers.httpRequest(options)) as FullResponse;
		}
		return {
			kind: 'response',
			response: { status: res.statusCode, headers: flattenHeaders(res.headers), body: bodyText(res.body) },
		};
	} catch (err) {
		return { kind: 'network', error: toNetworkFailure(unwrapError(err)) };
	}
}
