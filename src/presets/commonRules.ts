// Rules most APIs share: rate limits said in the body under a wrong status, data errors said under a 500.
import type { BodyRule } from '../types';

export const RATE_LIMIT_IN_BODY: BodyRule = {
	id: 'common.rate-limit-in-body',
	description: 'rate limit reported in the body',
	match: { status: '4xx', bodyRegex: 'rate[ _-]?limit(ed)?|too many requests|throttl' },
	class: 'transient',
	notProcessed: true,
	breakerFailure: false,
};

export const DATA_ERROR_IN_500: BodyRule = {
	id: 'common.data-error-in-500',
	description: 'server error caused by the data sent (retrying the same payload fails the same way)',
	match: {
		status: 500,
		bodyRegex:
			'validation (error|failed)|violates [a-z ]*constraint|duplicate key|invalid (input|value|parameter|field|argument|format|email|id|json|payload|syntax)|malformed|required field|is required|cannot be null|must not be null|unprocessable|data error|deserializ|cannot parse|could not parse',
	},
	class: 'permanent',
	breakerFailure: false,
};

/** Stainless-built SDKs (OpenAI, Anthropic) obey x-should-retry when the server sends it. */
export const SHOULD_RETRY_HEADER: BodyRule[] = [
	{ id: 'header.x-should-retry-false', description: 'the server says not to retry (x-should-retry: false)', match: { headers: { 'x-should-retry': 'false' } }, class: 'permanent', breakerFailure: false },
	{ id: 'header.x-should-retry-true', description: 'the server says to retry (x-should-retry: true)', match: { status: '4xx', headers: { 'x-should-retry': 'true' } }, class: 'transient' },
];
