// Scripted senders for executor tests: each call returns the next result and the call count is observable.
import type { AttemptResult, NetworkFailure } from '../../../src';

export function res(status: number, body: unknown = '', headers: Record<string, string> = {}): AttemptResult {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	const h: Record<string, string> = {};
	for (const [k, v] of Object.entries(headers)) h[k.toLowerCase()] = v;
	return { kind: 'response', response: { status, headers: h, body: text } };
}

export function net(code: string, requestSent: NetworkFailure['requestSent']): AttemptResult {
	return { kind: 'network', error: { code, message: `${code} happened`, requestSent } };
}

export function scripted(results: AttemptResult[]) {
	const calls: number[] = [];
	const send = async (attempt: number) => {
		calls.push(attempt);
		const r = results[Math.min(calls.length - 1, results.length - 1)];
		return r;
	};
	return { send, calls };
}
