// Salesforce REST. Source: platform-facts.md §2.2 (403 REQUEST_LIMIT_EXCEEDED variants, UNABLE_TO_LOCK_ROW at any status, INVALID_SESSION_ID) and §5.2.
import type { Preset, RecordsSpec } from '../types';

/** sObject collections: one SaveResult per record, in the order the records were sent. */
const COLLECTION_RECORDS: RecordsSpec = {
	itemsPath: '',
	successPath: 'success',
	idPath: 'id',
	failedClass: 'permanent',
	requestItemsPath: 'records',
	requestIdPaths: ['id'],
	recordRules: [
		// allOrNone: the records that were fine were rolled back, not saved; sent again without the failing one they go through.
		{ id: 'salesforce.rolled-back', match: { code: '^ALL_OR_NONE_OPERATION_ROLLED_BACK$' }, class: 'transient' },
	],
};

export const salesforce: Preset = {
	name: 'salesforce',
	title: 'Salesforce',
	source: 'platform-facts.md §2.2, §5.2; developer.salesforce.com errorcodes.htm, headers_api_usage.htm, dome-upsert',
	policy: { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000, maxServerWaitMs: 60_000 },
	// sObject PATCH is an absolute update or an external-ID upsert: safe to repeat.
	idempotentRoutes: [{ method: 'PATCH', pathRegex: '/sobjects/' }],
	recordHeaders: ['sforce-limit-info'],
	rules: [
		// First: a 2xx collection answer names per-record codes (UNABLE_TO_LOCK_ROW...) that the rules below would
		// read as a failure of the whole request, and retrying it would resend the records that were saved.
		{
			id: 'salesforce.collection-partial',
			description: 'sObject collection with per-record failures',
			match: { status: '2xx', bodyRegex: '"success"\\s*:\\s*false' },
			class: 'partial',
			records: COLLECTION_RECORDS,
		},
		// Also an answer where every record was saved: Split Batch Results needs its records to give one item per record sent.
		{
			id: 'salesforce.collection',
			description: 'sObject collection: one SaveResult per record',
			match: { status: '2xx', pathRegex: '/composite/sobjects', jsonPath: '0.success', exists: true },
			class: 'success',
			records: COLLECTION_RECORDS,
		},
		{
			id: 'salesforce.total-requests',
			description: 'daily API allowance of the org used up (rolling 24 h): re-check in an hour',
			match: { bodyRegex: 'TotalRequests Limit exceeded' },
			class: 'quota-wait',
			waitMs: 3_600_000,
			scope: 'org',
			breakerFailure: false,
		},
		{
			id: 'salesforce.concurrent-limit',
			description: 'too many long-running requests in flight for the org: back off and lower concurrency',
			match: { bodyRegex: 'ConcurrentPerOrgLongTxn|ConcurrentRequest' },
			class: 'transient',
			waitMs: 5000,
			scope: 'org',
			notProcessed: true,
			breakerFailure: false,
		},
		{
			id: 'salesforce.request-limit',
			description: 'API request limit exceeded',
			match: { bodyRegex: 'REQUEST_LIMIT_EXCEEDED' },
			class: 'quota-wait',
			waitMs: 3_600_000,
			scope: 'org',
			breakerFailure: false,
		},
		{
			id: 'salesforce.row-lock',
			description: 'record locked by another transaction (UNABLE_TO_LOCK_ROW)',
			match: { bodyRegex: 'UNABLE_TO_LOCK_ROW' },
			class: 'transient',
			waitMs: 500,
			maxRetries: 5,
			notProcessed: true,
			breakerFailure: false,
		},
		{ id: 'salesforce.invalid-session', description: 'session expired or invalid', match: { bodyRegex: 'INVALID_SESSION_ID' }, class: 'refresh-auth' },
		{ id: 'salesforce.unknown-exception', description: 'unexpected Salesforce error: retried once, it can be deterministic', match: { bodyRegex: 'UNKNOWN_EXCEPTION' }, class: 'transient', maxRetries: 1 },
		{ id: 'salesforce.query-timeout', description: 'query ran too long', match: { bodyRegex: 'QUERY_TIMEOUT' }, class: 'transient', maxRetries: 1, breakerFailure: false },
		{
			id: 'salesforce.duplicate',
			description: 'duplicate value or duplicate rule',
			match: { status: '4xx', bodyRegex: 'DUPLICATE_VALUE|DUPLICATES_DETECTED' },
			class: 'conflict',
			extract: { existingId: 'record with id: ([a-zA-Z0-9]{15,18})' },
		},
		{ id: 'salesforce.server-unavailable', description: 'Salesforce unavailable or in maintenance', match: { bodyRegex: 'SERVER_UNAVAILABLE' }, class: 'transient' },
		{ id: 'salesforce.edge-routing', description: 'Salesforce Edge has no route for this host (configuration)', match: { status: 420 }, class: 'permanent' },
	],
};
