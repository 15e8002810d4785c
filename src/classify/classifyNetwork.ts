// Classifies a failure without a response: local mistakes are permanent, outages transient, unsafe writes ambiguous.
import { redactText } from '../redact/redact';
import type { NetworkFailure, RequestFacts, Verdict } from '../types';
import type { ClassifierContext } from './classifyResponse';
import { mayRetry } from './retrySafety';
import { defaultForNetwork } from './statusDefaults';

export function classifyNetwork(ctx: ClassifierContext, error: NetworkFailure, request: RequestFacts): Verdict {
	const d = defaultForNetwork(error.code);
	let cls = d.class;
	let detail = `${d.detail} (${error.code})`;
	const sent = error.requestSent === true ? 'after the request was sent' : error.requestSent === false ? 'before the request was sent' : 'possibly after sending';
	if (cls === 'transient') detail += ` ${sent}`;
	const verdict: Verdict = { class: cls, reason: '', rule: `network.${error.code}`, breakerFailure: false, warnings: [] };
	if (cls === 'transient' && !mayRetry(request, { kind: 'network', error }, ctx.policy, ctx.preset?.idempotentRoutes)) {
		cls = 'ambiguous';
		detail += `; ${request.method.toUpperCase()} may already have been applied, so it is not retried without an idempotency key`;
	}
	if (cls === 'transient' && !ctx.policy.retryServerErrors) {
		verdict.maxRetries = 0;
		detail += '; retries for network errors are turned off';
	}
	verdict.class = cls;
	verdict.breakerFailure = cls === 'transient' || cls === 'ambiguous';
	verdict.reason = redactText(`Network error: ${detail}${error.message && !error.message.includes(error.code) ? ` — ${error.message.slice(0, 160)}` : ''}`);
	return verdict;
}
