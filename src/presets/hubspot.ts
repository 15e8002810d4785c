// HubSpot CRM. Source: platform-facts.md §2.1 (limits, 429 bodies, error table, SDK retry behaviour) and §5.1 (preset table).
import type { Preset, RecordsSpec } from '../types';
import { DATA_ERROR_IN_500, RATE_LIMIT_IN_BODY } from './commonRules';

/**
 * A batch answer (create, update, upsert, read): results and errors in no promised order, each tied to the input it is
 * about by objectWriteTraceId, the input's id (or idProperty value, e.g. an email) or the contact's email.
 */
const BATCH_RECORDS: RecordsSpec = {
	resultsPath: 'results',
	errorsPath: 'errors',
	errorIdPath: 'context.objectWriteTraceId.0|context.ids.0|context.id.0',
	failedClass: 'permanent',
	requestItemsPath: 'inputs',
	requestIdPaths: ['objectWriteTraceId', 'id', 'properties.email'],
	idPropertyPath: 'idProperty',
	resultKeys: [
		{ answer: 'objectWriteTraceId', sent: 'objectWriteTraceId' },
		{ answer: 'properties.{idProperty}', sent: 'id' },
		{ answer: 'id', sent: 'id' },
		{ answer: 'properties.email', sent: 'properties.email' },
	],
	errorKeys: [
		{ answer: 'context.objectWriteTraceId', sent: 'objectWriteTraceId' },
		{ answer: 'context.ids', sent: 'id' },
		{ answer: 'context.id', sent: 'id' },
		{ answer: 'context.ids', sent: 'properties.email' },
	],
};

export const hubspot: Preset = {
	name: 'hubspot',
	title: 'HubSpot',
	source: 'platform-facts.md §2.1, §5.1; developers.hubspot.com/docs/api-reference/error-handling; HubSpot/hubspot-api-nodejs RetryDecorator',
	policy: { maxAttempts: 6, baseDelayMs: 1000, maxDelayMs: 30_000, maxServerWaitMs: 60_000 },
	// X-HubSpot-RateLimit-Interval-Milliseconds is the window length (10 s), not a reset time: wait one window.
	resetHeaders: [{ header: 'x-hubspot-ratelimit-interval-milliseconds', format: 'windowMs' }],
	idempotentRoutes: [
		{ method: 'POST', pathRegex: '/search$' },
		{ method: 'POST', pathRegex: '/batch/(upsert|read|update)$' },
		{ method: 'PATCH', pathRegex: '^/crm/' },
	],
	options: [{ name: 'accountTimeZone', description: 'IANA time zone of the HubSpot account; the daily limit resets at its midnight (default UTC)' }],
	rules: [
		{
			id: 'hubspot.ten-secondly',
			description: 'rate limit: ten-second burst window (TEN_SECONDLY_ROLLING)',
			match: { status: 429, bodyRegex: 'TEN_SECONDLY_ROLLING' },
			class: 'transient',
			waitMs: 10_000,
			notProcessed: true,
			breakerFailure: false,
		},
		{
			id: 'hubspot.secondly',
			description: 'rate limit: per-second limit (search or legacy SECONDLY)',
			match: { status: 429, bodyRegex: '"policyName"\\s*:\\s*"SECONDLY"|secondly limit' },
			class: 'transient',
			waitMs: 1000,
			notProcessed: true,
			breakerFailure: false,
		},
		{
			id: 'hubspot.daily',
			description: 'rate limit: daily API limit of the account used up (resets at the account\'s midnight)',
			match: { status: 429, bodyRegex: '"policyName"\\s*:\\s*"DAILY"|daily limit' },
			class: 'quota-wait',
			retryAtTemplate: '{{nextAccountMidnight}}',
			scope: 'account',
			breakerFailure: false,
		},
		{
			id: 'hubspot.conflict',
			description: 'the object already exists',
			match: { status: 409 },
			class: 'conflict',
			extract: { existingId: 'Existing ID: (\\d+)' },
		},
		{ id: 'hubspot.locked', description: 'locked during a large sync: wait at least 2 s', match: { status: 423 }, class: 'transient', waitMs: 2000, notProcessed: true, breakerFailure: false },
		{ id: 'hubspot.migration', description: 'portal migration in progress', match: { status: 477 }, class: 'quota-wait', scope: 'account', breakerFailure: false },
		{
			id: 'hubspot.expired-token',
			description: 'the OAuth token expired',
			match: { status: 401, jsonPath: 'category', equals: 'EXPIRED_AUTHENTICATION' },
			class: 'refresh-auth',
		},
		{
			id: 'hubspot.batch-partial',
			description: 'batch finished with per-record errors',
			match: { status: [200, 207], bodyRegex: '"numErrors"\\s*:\\s*[1-9]' },
			class: 'partial',
			records: BATCH_RECORDS,
		},
		// Also an answer without errors: Split Batch Results needs its records to give one item per record sent.
		{
			id: 'hubspot.batch-results',
			description: 'batch answer listing one result per record',
			match: { status: '2xx', pathRegex: '/batch/[\\w/-]+$', jsonPath: 'results', exists: true },
			class: 'success',
			records: BATCH_RECORDS,
		},
		{ id: 'hubspot.origin-timeout', description: 'HubSpot origin connection timed out (522)', match: { status: 522 }, class: 'transient', maxRetries: 1 },
		{ id: 'hubspot.ssl', description: 'HubSpot SSL problem (525/526): contact support', match: { status: [525, 526] }, class: 'permanent' },
		{ id: 'hubspot.too-long', description: 'URI too long or too many identities', match: { status: 414 }, class: 'permanent' },
		RATE_LIMIT_IN_BODY,
		DATA_ERROR_IN_500,
	],
};
