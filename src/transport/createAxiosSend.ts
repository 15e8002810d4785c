// A `send` over axios: every HTTP status comes back as a response, every other failure as a NetworkFailure.
import axios, { type AxiosInstance, type Method } from 'axios';
import type { AttemptResult } from '../types';
import { bodyToText, lowerCaseHeaders, toNetworkFailure } from './toNetworkFailure';

export interface AxiosSendOptions {
	method: string;
	url: string;
	headers?: Record<string, string>;
	/** A string is sent as is; anything else as JSON. */
	body?: unknown;
	params?: Record<string, string>;
	timeoutMs?: number;
	/** Sent as this header on every attempt (the same value each time). */
	idempotencyKey?: string;
	idempotencyHeader?: string;
	/** An axios instance to use (tests, proxies); default a fresh one. */
	client?: AxiosInstance;
}

export function createAxiosSend(o: AxiosSendOptions): (attempt: number, signal?: AbortSignal) => Promise<AttemptResult> {
	const client = o.client ?? axios.create();
	return async (_attempt, signal) => {
		const headers: Record<string, string> = { ...(o.headers ?? {}) };
		if (o.idempotencyKey) headers[o.idempotencyHeader ?? 'Idempotency-Key'] = o.idempotencyKey;
		let data: unknown = o.body;
		if (data !== undefined && data !== null && typeof data !== 'string' && !Buffer.isBuffer(data)) {
			data = JSON.stringify(data);
			if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
		}
		try {
			const res = await client.request({
				method: o.method.toUpperCase() as Method,
				url: o.url,
				headers,
				params: o.params,
				data: data ?? undefined,
				timeout: o.timeoutMs ?? 0,
				signal,
				responseType: 'text',
				transformResponse: [(d: unknown) => d],
				validateStatus: () => true,
				maxRedirects: 0,
			});
			return { kind: 'response', response: { status: res.status, headers: lowerCaseHeaders(res.headers), body: bodyToText(res.data) } };
		} catch (err) {
			return { kind: 'network', error: toNetworkFailure(err) };
		}
	};
}
