// Every body rule of every preset, and every record rule, decides at least one response here: a rule nobody can
// reach (shadowed by an earlier one, or a regex that never matches) fails this file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMON_RECORD_RULES, classifyRecordError, createClassifier, getPreset, listPresets, resolvePolicy, type ResultClass } from '../../src';
import { res } from './helpers/responses';

const NOW = Date.UTC(2026, 10, 2, 10, 0, 30);
type Case = [preset: string, status: number, body: unknown, headers: Record<string, string>, rule: string, cls: ResultClass, path?: string];

const hsBatch = { status: 'COMPLETE', results: [{ id: '1' }], numErrors: 1, errors: [{ category: 'VALIDATION_ERROR', message: 'bad email' }] };
const CASES: Case[] = [
	['generic', 400, { message: 'You are rate limited' }, {}, 'common.rate-limit-in-body', 'transient'],
	['generic', 500, { message: 'validation failed: email' }, {}, 'common.data-error-in-500', 'permanent'],
	['generic', 200, { errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }] }, {}, 'graphql.throttled', 'transient'],
	['generic', 200, { errors: [{ message: 'Cannot query field "x"' }] }, {}, 'graphql.errors-only', 'permanent'],
	['generic', 200, { data: null, errors: [{ message: 'not authorised' }] }, {}, 'graphql.null-data', 'permanent'],
	['generic', 200, { data: { a: 1, b: null }, errors: [{ message: 'b failed', path: ['b'] }] }, {}, 'graphql.partial-data', 'partial'],
	['webhook', 410, 'gone', {}, 'webhook.gone', 'permanent'],
	['webhook', 413, 'too big', {}, 'webhook.too-large', 'permanent'],
	['hubspot', 429, { policyName: 'TEN_SECONDLY_ROLLING' }, {}, 'hubspot.ten-secondly', 'transient'],
	['hubspot', 429, { message: 'You have reached your secondly limit.' }, {}, 'hubspot.secondly', 'transient'],
	['hubspot', 429, { policyName: 'DAILY' }, {}, 'hubspot.daily', 'quota-wait'],
	['hubspot', 409, { message: 'Contact already exists. Existing ID: 1' }, {}, 'hubspot.conflict', 'conflict'],
	['hubspot', 423, '', {}, 'hubspot.locked', 'transient'],
	['hubspot', 477, '', { 'retry-after': '86400' }, 'hubspot.migration', 'quota-wait'],
	['hubspot', 401, { category: 'EXPIRED_AUTHENTICATION' }, {}, 'hubspot.expired-token', 'refresh-auth'],
	['hubspot', 207, hsBatch, {}, 'hubspot.batch-partial', 'partial'],
	// Only on a batch route: a search answers results too, and is not a batch of records sent.
	['hubspot', 201, { status: 'COMPLETE', results: [{ id: '1' }] }, {}, 'hubspot.batch-results', 'success', '/crm/v3/objects/contacts/batch/create'],
	['hubspot', 200, { total: 1, results: [{ id: '1' }] }, {}, 'status.200', 'success', '/crm/v3/objects/contacts/search'],
	['hubspot', 522, '', {}, 'hubspot.origin-timeout', 'transient'],
	['hubspot', 525, '', {}, 'hubspot.ssl', 'permanent'],
	['hubspot', 414, '', {}, 'hubspot.too-long', 'permanent'],
	['salesforce', 403, [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }], {}, 'salesforce.total-requests', 'quota-wait'],
	['salesforce', 403, [{ message: 'ConcurrentPerOrgLongTxn Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }], {}, 'salesforce.concurrent-limit', 'transient'],
	['salesforce', 403, [{ message: 'Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }], {}, 'salesforce.request-limit', 'quota-wait'],
	['salesforce', 500, [{ message: 'unable to obtain exclusive access', errorCode: 'UNABLE_TO_LOCK_ROW' }], {}, 'salesforce.row-lock', 'transient'],
	['salesforce', 401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }], {}, 'salesforce.invalid-session', 'refresh-auth'],
	['salesforce', 500, [{ message: 'An unexpected error occurred', errorCode: 'UNKNOWN_EXCEPTION' }], {}, 'salesforce.unknown-exception', 'transient'],
	['salesforce', 400, [{ message: 'Your query request was running too long', errorCode: 'QUERY_TIMEOUT' }], {}, 'salesforce.query-timeout', 'transient'],
	['salesforce', 400, [{ message: 'duplicate value found', errorCode: 'DUPLICATE_VALUE' }], {}, 'salesforce.duplicate', 'conflict'],
	['salesforce', 503, [{ message: 'down', errorCode: 'SERVER_UNAVAILABLE' }], {}, 'salesforce.server-unavailable', 'transient'],
	['salesforce', 420, '', {}, 'salesforce.edge-routing', 'permanent'],
	['salesforce', 200, [{ id: '001', success: true, errors: [] }, { success: false, errors: [{ statusCode: 'X', message: 'y' }] }], {}, 'salesforce.collection-partial', 'partial'],
	['salesforce', 200, [{ id: '001', success: true, errors: [] }], {}, 'salesforce.collection', 'success', '/services/data/v60.0/composite/sobjects'],
	// A record's row lock inside a 200 is that record's problem: retrying the request would resend the saved ones.
	['salesforce', 200, [{ id: '001', success: true, errors: [] }, { success: false, errors: [{ statusCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access' }] }], {}, 'salesforce.collection-partial', 'partial'],
	['outreach', 429, { errors: [] }, {}, 'outreach.rate-limit', 'transient'],
	['outreach', 422, { errors: [{ detail: 'Contacts email hash has already been taken.' }] }, {}, 'outreach.email-taken', 'conflict'],
	['outreach', 422, { errors: [{ detail: 'Contacts contact is using an excluded email address.' }] }, {}, 'outreach.excluded-email', 'permanent'],
	['outreach', 403, '', {}, 'outreach.forbidden', 'permanent'],
	['salesloft', 429, '', {}, 'salesloft.minute-budget', 'transient'],
	['apollo', 429, '', { 'x-24-hour-requests-left': '0' }, 'apollo.daily-exhausted', 'quota-wait'],
	['apollo', 429, '', { 'x-daily-requests-left': '0' }, 'apollo.daily-exhausted-alias', 'quota-wait'],
	['apollo', 429, '', { 'x-hourly-requests-left': '0' }, 'apollo.hourly-exhausted', 'quota-wait'],
	['apollo', 429, '', { 'x-minute-requests-left': '0' }, 'apollo.minute-exhausted', 'transient'],
	['apollo', 401, '', {}, 'apollo.auth', 'permanent'],
	['apollo', 402, '', {}, 'apollo.credits', 'permanent'],
	['zoominfo', 403, 'You have exceeded your overall API query request limit', {}, 'zoominfo.contract-limit', 'permanent'],
	['zoominfo', 429, '', { 'x-ratelimit-remaining-day': '0' }, 'zoominfo.day-exhausted', 'quota-wait'],
	['zoominfo', 429, '', { 'x-ratelimit-remaining-hour': '0' }, 'zoominfo.hour-exhausted', 'quota-wait'],
	['zoominfo', 429, '', {}, 'zoominfo.rate-limit', 'transient'],
	['clay', 429, 'submission limit reached', {}, 'clay.submission-cap', 'permanent'],
	['clay', 413, '', {}, 'clay.too-large', 'permanent'],
	['clay', 401, '', {}, 'clay.auth', 'permanent'],
	['clay', 429, '', {}, 'clay.rate-limit', 'transient'],
	['openai', 429, { error: { type: 'insufficient_quota' } }, {}, 'openai.insufficient-quota', 'permanent'],
	['openai', 429, { error: { message: 'Request too large for gpt-4o' } }, {}, 'openai.request-too-large', 'permanent'],
	['openai', 500, '', { 'x-should-retry': 'false' }, 'header.x-should-retry-false', 'permanent'],
	['openai', 400, '', { 'x-should-retry': 'true' }, 'header.x-should-retry-true', 'transient'],
	['openai', 429, { error: { code: 'rate_limit_exceeded' } }, {}, 'openai.rate-limit', 'transient'],
	['openai', 401, '', {}, 'openai.auth', 'permanent'],
	['openai', 409, '', {}, 'openai.conflict', 'transient'],
	['anthropic', 429, { error: { type: 'rate_limit_error', details: { error_code: 'enforced_spend_limit_reached' } } }, {}, 'anthropic.spend-limit', 'quota-wait'],
	['anthropic', 400, { error: { message: 'You have reached your specified API usage limits' } }, {}, 'anthropic.usage-limits', 'quota-wait'],
	['anthropic', 529, { error: { type: 'overloaded_error' } }, {}, 'anthropic.overloaded', 'transient'],
	['anthropic', 429, { error: { type: 'rate_limit_error' } }, {}, 'anthropic.rate-limit', 'transient'],
	['anthropic', 402, '', {}, 'anthropic.billing', 'permanent'],
	['anthropic', 401, '', {}, 'anthropic.auth', 'permanent'],
	['stripe', 500, '', { 'stripe-should-retry': 'false' }, 'stripe.should-retry-false', 'permanent'],
	['stripe', 400, { error: { type: 'idempotency_error' } }, {}, 'stripe.idempotency-error', 'permanent'],
	['stripe', 429, { error: { code: 'lock_timeout' } }, {}, 'stripe.lock-timeout', 'transient'],
	['stripe', 400, '', { 'stripe-should-retry': 'true' }, 'stripe.should-retry-true', 'transient'],
	['stripe', 429, '', {}, 'stripe.rate-limit', 'transient'],
	['stripe', 409, '', {}, 'stripe.concurrent-key', 'transient'],
	['stripe', 402, { error: { type: 'card_error' } }, {}, 'stripe.card-error', 'permanent'],
	['stripe', 401, '', {}, 'stripe.auth', 'permanent'],
	['slack', 200, { ok: false, error: 'ratelimited' }, {}, 'slack.ratelimited', 'transient'],
	['slack', 200, { ok: false, error: 'internal_error' }, {}, 'slack.internal-error', 'transient'],
	['slack', 200, { ok: false, error: 'fatal_error' }, {}, 'slack.service-error', 'transient'],
	['slack', 200, { ok: false, error: 'token_expired' }, {}, 'slack.token-expired', 'refresh-auth'],
	['slack', 200, { ok: false, error: 'channel_not_found' }, {}, 'slack.auth-or-data', 'permanent'],
	['slack', 200, { ok: false, error: 'something_new' }, {}, 'slack.not-ok', 'permanent'],
	['google-sheets', 429, { error: { status: 'RESOURCE_EXHAUSTED' } }, {}, 'google.quota-per-minute', 'transient'],
	['google-sheets', 403, { error: { status: 'PERMISSION_DENIED' } }, {}, 'google.permission', 'permanent'],
	['pipedrive', 429, '', { 'x-daily-requests-left': '0' }, 'pipedrive.daily-budget', 'quota-wait'],
	['pipedrive', 429, '', {}, 'pipedrive.rate-limit', 'transient'],
	['pipedrive', 200, { success: false, error: 'x' }, {}, 'pipedrive.not-success', 'permanent'],
	['dataverse', 400, { error: { code: '0x80072322' } }, {}, 'dataverse.service-protection', 'transient'],
	['dataverse', 429, '', {}, 'dataverse.rate-limit', 'transient'],
	['msgraph', 429, '', {}, 'msgraph.throttled', 'transient'],
	['zendesk', 429, 'slow down', {}, 'zendesk.rate-limit', 'transient'],
	['zendesk', 409, '', {}, 'zendesk.conflict', 'transient'],
	['intercom', 429, '', {}, 'intercom.rate-limit', 'transient'],
	['intercom', 409, { message: 'A contact matching those details already exists' }, {}, 'intercom.conflict', 'conflict'],
	['intercom', 401, '', {}, 'intercom.auth', 'permanent'],
	['attio', 429, { type: 'rate_limit_error', code: 'rate_limit_exceeded' }, {}, 'attio.rate-limit', 'transient'],
	['attio', 409, { type: 'invalid_request_error', code: 'concurrent_write_conflict' }, {}, 'attio.write-conflict', 'transient'],
];

test('every body rule of every preset has a response it decides', () => {
	const covered = new Set(CASES.map((c) => `${c[0]} ${c[4]}`));
	const byId = new Set(CASES.map((c) => c[4]));
	const missing: string[] = [];
	for (const p of listPresets()) for (const r of p.rules) if (!covered.has(`${p.name} ${r.id}`) && !byId.has(r.id)) missing.push(`${p.name}: ${r.id}`);
	assert.deepEqual(missing, [], 'rules without a case');
});

for (const [preset, status, body, headers, rule, cls, path] of CASES) {
	test(`${preset} ${status}${path ? ` ${path}` : ''} → ${rule} (${cls})`, () => {
		const p = getPreset(preset);
		const v = createClassifier({ preset: p, policy: resolvePolicy(p) })(res(status, body, headers), { method: 'GET', url: `https://api.example.test${path ?? '/v1/x'}` }, NOW);
		assert.equal(v.rule, rule, v.reason);
		assert.equal(v.class, cls, v.reason);
	});
}

test('every record rule classifies a failed record; unmatched records take the failed class', () => {
	const cases: Array<[unknown, string | undefined, ResultClass]> = [
		[{ status: 'error', category: 'RATE_LIMITS', message: 'You have reached your ten_secondly_rolling limit.' }, 'record.rate-limited', 'transient'],
		[{ message: 'Too many requests for this object' }, 'record.rate-limited', 'transient'],
		[{ httpStatusCode: 429, body: [] }, 'record.rate-limited', 'transient'],
		[{ success: false, errors: [{ statusCode: 'REQUEST_LIMIT_EXCEEDED', message: 'ConcurrentPerOrgLongTxn Limit exceeded.' }] }, 'record.concurrent-limit', 'transient'],
		[{ success: false, errors: [{ statusCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access' }] }, 'record.row-lock', 'transient'],
		[{ success: false, errors: [{ statusCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' }] }, 'record.request-limit', 'quota-wait'],
		[{ success: false, errors: [{ statusCode: 'DUPLICATE_VALUE', message: 'duplicate value found' }] }, 'record.conflict', 'conflict'],
		[{ status: 'error', category: 'CONFLICT', message: 'Contact already exists' }, 'record.conflict', 'conflict'],
		[{ httpStatusCode: 503, body: 'down' }, 'record.server-error', 'transient'],
		[{ status: 'error', category: 'VALIDATION_ERROR', message: 'Property values were not valid: rate_limit_tier is unknown' }, undefined, 'permanent'],
	];
	const hit = new Set<string>();
	for (const [err, rule, cls] of cases) {
		const v = classifyRecordError({}, err);
		assert.deepEqual([v.rule, v.class], [rule, cls], JSON.stringify(err));
		if (rule) hit.add(rule);
	}
	assert.deepEqual(COMMON_RECORD_RULES.map((r) => r.id).filter((id) => !hit.has(id)), []);
	const collection = getPreset('salesforce').rules.find((r) => r.id === 'salesforce.collection-partial')!.records!;
	const rolledBack = { success: false, errors: [{ statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'Record rolled back because not all records were valid' }] };
	assert.deepEqual(classifyRecordError(collection, rolledBack), { class: 'transient', rule: 'salesforce.rolled-back' });
	assert.equal(classifyRecordError({ failedClass: 'conflict' }, { message: 'odd' }).class, 'conflict');
	assert.deepEqual(classifyRecordError({ recordRules: [{ id: 'mine', match: { code: '^ODD$' }, class: 'transient', waitMs: 7 }] }, { code: 'ODD' }), { class: 'transient', rule: 'mine', waitMs: 7 });
});
