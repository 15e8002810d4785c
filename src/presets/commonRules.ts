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

/**
 * GraphQL answers 200 with an errors array (graphql.org/learn/response; platform-facts.md §1.2): throttled → retry;
 * errors without data → permanent; errors beside data → partial, each error one failed record, data the rest.
 * Errors must come first or data be null, so a REST batch body with an errors list is not mistaken for GraphQL.
 */
export const GRAPHQL_RULES: BodyRule[] = [
	{
		id: 'graphql.throttled',
		description: 'GraphQL: the query was throttled (errors[].extensions.code)',
		match: { status: '2xx', jsonPath: 'errors.0.extensions.code', in: ['THROTTLED', 'RATE_LIMITED', 'RATE_LIMIT_EXCEEDED', 'TOO_MANY_REQUESTS'] },
		class: 'transient',
		notProcessed: true,
		breakerFailure: false,
	},
	{
		id: 'graphql.errors-only',
		description: 'HTTP 200 but the GraphQL request failed (errors, no data)',
		match: { status: '2xx', bodyRegex: '^\\s*\\{\\s*"errors"\\s*:\\s*\\[\\s*\\{', jsonPath: 'data', exists: false },
		class: 'permanent',
	},
	{
		id: 'graphql.null-data',
		description: 'HTTP 200 but the GraphQL request failed (data: null)',
		match: { status: '2xx', bodyRegex: '"data"\\s*:\\s*null', jsonPath: 'errors.0', exists: true },
		class: 'permanent',
	},
	{
		id: 'graphql.partial-data',
		description: 'GraphQL answered data with some field errors',
		match: { status: '2xx', bodyRegex: '"data"\\s*:\\s*\\{', jsonPath: 'errors.0.message', exists: true },
		class: 'partial',
		records: { errorsPath: 'errors', errorIdPath: 'path', remainderPath: 'data' },
	},
];
