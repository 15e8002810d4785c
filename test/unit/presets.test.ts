import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClassifier, getPreset, listPresets, renderRetryAt, resolvePolicy, type AttemptResult, type RequestFacts } from '../../src';
import { res } from './helpers/responses';

const NOW = Date.UTC(2026, 10, 2, 10, 0, 30);
const REQUIRED = ['generic', 'webhook', 'hubspot', 'salesforce', 'outreach', 'salesloft', 'apollo', 'openai', 'anthropic', 'slack', 'stripe', 'zoominfo', 'clay', 'google-sheets', 'pipedrive', 'dataverse', 'msgraph', 'zendesk', 'intercom', 'attio'];

function classifyWith(name: string, r: AttemptResult, req: Partial<RequestFacts> = {}, presetOptions?: Record<string, string>) {
	const preset = getPreset(name);
	return createClassifier({ preset, policy: resolvePolicy(preset), presetOptions })(r, { method: 'GET', url: 'https://x.test/a', ...req }, NOW);
}

test('every required preset exists, resolves to a valid policy, and its rules are well-formed', () => {
	const names = listPresets().map((p) => p.name);
	for (const n of REQUIRED) assert.ok(names.includes(n), `missing preset ${n}`);
	assert.equal(new Set(names).size, names.length, 'unique names');
	for (const p of listPresets()) {
		assert.ok(p.source.length > 10, `${p.name} names its source`);
		const policy = resolvePolicy(p);
		assert.ok(policy.maxAttempts >= 1);
		const ids = new Set<string>();
		for (const r of p.rules) {
			assert.ok(!ids.has(r.id), `${p.name}: duplicate rule id ${r.id}`);
			ids.add(r.id);
			if (r.match.bodyRegex) new RegExp(r.match.bodyRegex, 'i');
			if (r.retryAtTemplate) assert.ok(renderRetryAt(r.retryAtTemplate, NOW) > NOW, `${r.id} template`);
		}
	}
	assert.equal(getPreset('stripe').idempotencyHeader, 'Idempotency-Key');
	assert.equal(getPreset('openai').idempotencyHeader, 'Idempotency-Key');
	assert.equal(getPreset('generic').idempotencyHeader, 'Idempotency-Key');
});

test('overrides win over preset values', () => {
	const p = resolvePolicy(getPreset('hubspot'), { maxAttempts: 2, baseDelayMs: 50 });
	assert.equal(p.maxAttempts, 2);
	assert.equal(p.baseDelayMs, 50);
	assert.equal(resolvePolicy(getPreset('hubspot')).maxAttempts, 6);
});

test('hubspot DAILY waits until midnight in the account time zone (UTC by default)', () => {
	const body = { status: 'error', message: 'You have reached your daily limit.', errorType: 'RATE_LIMIT', policyName: 'DAILY' };
	const utc = classifyWith('hubspot', res(429, body));
	assert.equal(utc.class, 'quota-wait');
	assert.equal(utc.retryAt, Date.UTC(2026, 10, 3));
	assert.equal(utc.breakerFailure, false);
	const berlin = classifyWith('hubspot', res(429, body), {}, { accountTimeZone: 'Europe/Berlin' });
	assert.equal(berlin.retryAt, Date.UTC(2026, 10, 2, 23));
});

test('salesforce: TotalRequests is a quota, ConcurrentPerOrgLongTxn is transient, INVALID_SESSION_ID refreshes', () => {
	const total = classifyWith('salesforce', res(403, [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]));
	assert.equal(total.class, 'quota-wait');
	assert.equal(total.scope, 'org');
	const conc = classifyWith('salesforce', res(403, [{ message: 'ConcurrentPerOrgLongTxn Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]), { method: 'POST' });
	assert.equal(conc.class, 'transient');
	assert.equal(conc.breakerFailure, false);
	assert.equal(classifyWith('salesforce', res(401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }])).class, 'refresh-auth');
	const dup = classifyWith('salesforce', res(400, [{ message: 'duplicate value found: Ext__c duplicates value on record with id: 0015g00000AbCdEAAZ', errorCode: 'DUPLICATE_VALUE' }]), { method: 'POST' });
	assert.equal(dup.class, 'conflict');
	assert.deepEqual(dup.extract, { existingId: '0015g00000AbCdEAAZ' });
});

test('salesforce collections 200 with a failed record is partial', () => {
	const v = classifyWith('salesforce', res(200, [{ id: '001A', success: true, errors: [] }, { success: false, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Name]' }] }]));
	assert.equal(v.class, 'partial');
	assert.deepEqual(v.records?.map((r) => r.class), ['success', 'permanent']);
	assert.match(v.records![1].reason, /Required fields/);
});

test('openai: "try again in" hint gives the wait when no header does; insufficient_quota is never retried', () => {
	const hint = classifyWith('openai', res(429, { error: { message: 'Rate limit reached ... Please try again in 1.5s.', code: 'rate_limit_exceeded' } }), { method: 'POST' });
	assert.equal(hint.class, 'transient');
	assert.equal(hint.serverWaitMs, 1500);
	const big = classifyWith('openai', res(429, { error: { message: 'Request too large for gpt-4o', code: 'rate_limit_exceeded' } }), { method: 'POST' });
	assert.equal(big.class, 'permanent');
	const quota = classifyWith('openai', res(429, { error: { type: 'insufficient_quota', code: null } }), { method: 'POST' });
	assert.equal(quota.class, 'permanent');
});

test('anthropic spend limit defers to the first of next month', () => {
	const v = classifyWith('anthropic', res(429, { type: 'error', error: { type: 'rate_limit_error', details: { error_code: 'enforced_spend_limit_reached' } } }), { method: 'POST' });
	assert.equal(v.class, 'quota-wait');
	assert.equal(v.retryAt, Date.UTC(2026, 11, 1));
});

test('slack: ok:false in a 200 fails, internal_error on a POST is ambiguous, warnings on ok:true are success', () => {
	assert.equal(classifyWith('slack', res(200, { ok: false, error: 'not_in_channel' }), { method: 'POST' }).class, 'permanent');
	assert.equal(classifyWith('slack', res(200, { ok: false, error: 'internal_error' }), { method: 'POST' }).class, 'ambiguous');
	assert.equal(classifyWith('slack', res(200, { ok: false, error: 'internal_error' })).class, 'transient');
	assert.equal(classifyWith('slack', res(200, { ok: false, error: 'token_expired' })).class, 'refresh-auth');
	assert.equal(classifyWith('slack', res(200, { ok: true, warning: 'missing_charset' })).class, 'success');
});

test('stripe: Stripe-Should-Retry is authoritative', () => {
	assert.equal(classifyWith('stripe', res(500, { error: {} }, { 'stripe-should-retry': 'false' }), { method: 'POST', idempotencyKey: 'k' }).class, 'permanent');
	assert.equal(classifyWith('stripe', res(400, { error: {} }, { 'stripe-should-retry': 'true' }), { method: 'POST', idempotencyKey: 'k' }).class, 'transient');
	assert.equal(classifyWith('stripe', res(402, { error: { type: 'card_error' } }), { method: 'POST' }).class, 'permanent');
});

test('apollo hourly counter at zero defers an hour; outreach reset far away defers until the reset', () => {
	const h = classifyWith('apollo', res(429, { error: 'limit' }, { 'x-hourly-requests-left': '0', 'x-minute-requests-left': '5' }), { method: 'POST' });
	assert.equal(h.class, 'quota-wait');
	assert.equal(h.retryAt, NOW + 3_600_000);
	const reset = String(Math.floor(NOW / 1000) + 1800);
	const o = classifyWith('outreach', res(429, { errors: [] }, { 'x-ratelimit-reset': reset, 'x-ratelimit-remaining': '0' }));
	assert.equal(o.class, 'quota-wait');
	assert.equal(o.retryAt, NOW + 1_800_000);
	const near = classifyWith('outreach', res(429, { errors: [] }, { 'x-ratelimit-reset': String(Math.floor(NOW / 1000) + 20) }));
	assert.equal(near.class, 'transient');
	assert.equal(near.serverWaitMs, 20000);
});

test('hubspot 409 extracts the existing id; 423 waits at least 2 s; HTML 502 on a create is ambiguous', () => {
	const c = classifyWith('hubspot', res(409, { message: 'Contact already exists. Existing ID: 123', category: 'CONFLICT' }), { method: 'POST' });
	assert.deepEqual([c.class, c.extract], ['conflict', { existingId: '123' }]);
	const l = classifyWith('hubspot', res(423, ''), { method: 'POST' });
	assert.deepEqual([l.class, l.serverWaitMs], ['transient', 2000]);
	assert.equal(classifyWith('hubspot', res(502, '<html>bad gateway</html>'), { method: 'POST', url: 'https://api.hubapi.com/crm/v3/objects/contacts' }).class, 'ambiguous');
	assert.equal(classifyWith('hubspot', res(502, '<html/>'), { method: 'POST', url: 'https://api.hubapi.com/crm/v3/objects/contacts/batch/upsert' }).class, 'transient');
});
