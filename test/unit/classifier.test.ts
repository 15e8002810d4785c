import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClassifier, getPreset, parseRetryAfter, parseRetryAfterMs, resolvePolicy, type BodyRule, type RequestFacts } from '../../src';
import { net, res } from './helpers/responses';

const now = Date.UTC(2026, 10, 2, 10, 0, 0);
const GET: RequestFacts = { method: 'GET', url: 'https://api.example.com/v1/x' };
const generic = getPreset('generic');
const classify = createClassifier({ preset: generic, policy: resolvePolicy(generic) });

test('a 500 whose body names a data error is permanent', () => {
	const v = classify(res(500, { error: 'Validation failed: email is invalid' }), GET, now);
	assert.equal(v.class, 'permanent');
	assert.equal(v.rule, 'common.data-error-in-500');
	assert.equal(v.breakerFailure, false);
});

test('a plain 500 is transient and a breaker failure', () => {
	const v = classify(res(500, { error: 'ERROR_UNKNOWN' }), GET, now);
	assert.equal(v.class, 'transient');
	assert.equal(v.breakerFailure, true);
});

test('a 400 whose body says rate limited is transient', () => {
	const v = classify(res(400, { error: { message: 'Rate limit exceeded, slow down' } }), GET, now);
	assert.equal(v.class, 'transient');
	assert.equal(v.breakerFailure, false);
	const plain = classify(res(400, { error: 'bad email' }), GET, now);
	assert.equal(plain.class, 'permanent');
});

test('non-JSON and empty bodies never crash and are classified by status', () => {
	for (const body of ['', '<html><body>502 Bad Gateway</body></html>', '{"truncated": ', 'null', '[1,2', '\u0000\u0001']) {
		assert.equal(classify(res(502, body), GET, now).class, 'transient');
		assert.equal(classify(res(404, body), GET, now).class, 'permanent');
		assert.equal(classify(res(200, body), GET, now).class, 'success');
	}
});

test('429 with an empty body and x-envoy-ratelimited is a rate limit, and the reason says so', () => {
	const v = classify(res(429, '', { 'x-envoy-ratelimited': 'true' }), GET, now);
	assert.equal(v.class, 'transient');
	assert.match(v.reason, /rate limit/);
	assert.doesNotMatch(v.reason, /non-JSON/i);
	assert.equal(v.breakerFailure, false);
});

test('status defaults: 401 refresh-auth, 409 conflict, 423 transient with no breaker, 3xx permanent', () => {
	assert.equal(classify(res(401), GET, now).class, 'refresh-auth');
	assert.equal(classify(res(409), GET, now).class, 'conflict');
	const locked = classify(res(423), GET, now);
	assert.equal(locked.class, 'transient');
	assert.equal(locked.breakerFailure, false);
	assert.equal(classify(res(302), GET, now).class, 'permanent');
	assert.equal(classify(res(501), GET, now).class, 'permanent');
});

test('network errors: invalid URL permanent, refused transient, reset on POST ambiguous', () => {
	assert.equal(classify(net('ERR_INVALID_URL', false), GET, now).class, 'permanent');
	const refused = classify(net('ECONNREFUSED', false), { method: 'POST', url: 'x' }, now);
	assert.equal(refused.class, 'transient');
	assert.equal(refused.breakerFailure, true);
	assert.equal(classify(net('ECONNRESET', true), { method: 'POST', url: 'x' }, now).class, 'ambiguous');
	assert.equal(classify(net('ECONNRESET', true), GET, now).class, 'transient');
	assert.equal(classify(net('WEIRD', 'unknown'), { method: 'POST', url: 'x' }, now).class, 'ambiguous');
});

test('user rules are checked before preset rules', () => {
	const userRules: BodyRule[] = [
		{ id: '', match: { status: 403, bodyRegex: 'monthly quota' }, class: 'quota-wait', retryAtTemplate: '{{nextUtcMonthStart}}', scope: 'account' },
		{ id: 'mine.500-is-fine', match: { status: 500, bodyRegex: 'invalid' }, class: 'transient' },
	];
	const c = createClassifier({ preset: generic, policy: resolvePolicy(generic), userRules });
	const q = c(res(403, { error: 'monthly quota used' }), GET, now);
	assert.equal(q.class, 'quota-wait');
	assert.equal(q.rule, 'user.1');
	assert.equal(q.retryAt, Date.UTC(2026, 11, 1));
	assert.equal(q.scope, 'account');
	assert.equal(c(res(500, { error: 'invalid value' }), GET, now).class, 'transient');
});

test('retryOnStatus and permanentStatus from the options; 400 stays permanent', () => {
	const c = createClassifier({ preset: generic, policy: resolvePolicy(generic, { retryOnStatus: [400, 404], permanentStatus: [503] }) });
	assert.equal(c(res(404), GET, now).class, 'transient');
	assert.equal(c(res(400), GET, now).class, 'permanent');
	assert.equal(c(res(503), GET, now).class, 'permanent');
});

test('an unknown preset name throws and lists valid names', () => {
	assert.throws(() => getPreset('hubsoft'), (e: Error) => /Unknown preset "hubsoft"/.test(e.message) && /generic/.test(e.message));
});

test('resolvePolicy merges defaults, preset and overrides and rejects nonsense', () => {
	const p = resolvePolicy(generic, { maxAttempts: 2, baseDelayMs: undefined });
	assert.equal(p.maxAttempts, 2);
	assert.equal(p.baseDelayMs, 1000);
	assert.throws(() => resolvePolicy(generic, { maxAttempts: 0 }), /maxAttempts/);
	assert.throws(() => resolvePolicy(generic, { jitter: 'x' as never }), /jitter/);
});

test('budget: read from rate-limit headers, unknown (not zero) when they are missing', async () => {
	const { readBudget } = await import('../../src');
	assert.deepEqual(readBudget({}), { known: false, pause: false, pauseNonCritical: false });
	const sf = readBudget({ 'sforce-limit-info': 'api-usage=9501/10000; api-bursts=1/750' });
	assert.deepEqual([sf.known, sf.used, sf.limit, sf.pauseNonCritical, sf.pause], [true, 9501, 10000, true, false]);
	const hs = readBudget({ 'x-hubspot-ratelimit-daily': '250000', 'x-hubspot-ratelimit-daily-remaining': '0' });
	assert.deepEqual([hs.known, hs.remaining, hs.pause], [true, 0, true]);
	assert.equal(readBudget({ 'x-ratelimit-limit-requests': '-1', 'x-ratelimit-remaining-requests': '0' }).known, false);
	const v = classify(res(200, '{}', { 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '50' }), GET, now);
	assert.deepEqual([v.budget?.known, v.budget?.used, v.budget?.pauseNonCritical], [true, 50, false]);
});

test('a user rule cannot make a 429 count toward the breaker', () => {
	const c = createClassifier({ preset: generic, policy: resolvePolicy(generic), userRules: [{ id: 'u', match: { status: 429 }, class: 'transient', breakerFailure: true }] });
	assert.equal(c(res(429), GET, now).breakerFailure, false);
	assert.equal(c(res(503), GET, now).breakerFailure, true);
});

test('a Retry-After past any quota window (epoch seconds sent as a delta, a date in year 9999) is a server mistake: backoff, with a warning', () => {
	const now = Date.parse('2026-12-04T02:47:00Z');
	for (const v of ['1733300000', 'Fri, 31 Dec 9999 23:59:59 GMT']) {
		const p = parseRetryAfter(v, now);
		assert.equal(p.ok, false, v);
		assert.match((p as { warning: string }).warning, /more than any quota window \(31 days\).*using backoff/);
	}
	assert.deepEqual(parseRetryAfter(String(31 * 86400), now), { ok: true, waitMs: 31 * 86_400_000 }, 'a monthly reset is obeyed');
	assert.equal(parseRetryAfterMs('999999999999').ok, false);
});

test('a redirect answering a write is its own answer: 303 took it, others name the Location and are not followed', () => {
	const POST: RequestFacts = { method: 'POST', url: 'https://api.example.com/v1/contacts' };
	const seeOther = classify(res(303, '', { location: '/v1/contacts/42' }), POST, now);
	assert.equal(seeOther.class, 'success');
	assert.match(seeOther.reason, /HTTP 303 See Other: see other: the server took the POST and points to \/v1\/contacts\/42/);
	for (const status of [301, 302, 307, 308]) {
		const v = classify(res(status, '', { location: 'https://api.example.com/v2/contacts' }), POST, now);
		assert.equal(v.class, 'permanent', `${status}`);
		assert.match(v.reason, /redirected to https:\/\/api\.example\.com\/v2\/contacts; a POST is not followed .*use the final URL/);
		assert.equal(v.breakerFailure, false);
	}
	// A GET follows redirects in the transport: a 3xx reaching the classifier had no Location or too many hops.
	const get = classify(res(302, ''), GET, now);
	assert.equal(get.class, 'permanent');
	assert.match(get.reason, /redirected and not followed \(no Location, or too many redirects\)/);
});

test('a rule\'s own wait longer than what the server said is credited to the rule, not to the header', () => {
	const hubspot = getPreset('hubspot');
	const c = createClassifier({ preset: hubspot, policy: resolvePolicy(hubspot) });
	const body = { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', policyName: 'TEN_SECONDLY_ROLLING' };
	const v = c(res(429, body, { 'x-hubspot-ratelimit-interval-milliseconds': '2000', 'x-hubspot-ratelimit-remaining': '0' }), GET, now);
	assert.equal(v.rule, 'hubspot.ten-secondly');
	assert.equal(v.serverWaitMs, 10_000);
	assert.match(v.reason, /waits 10s \(rule hubspot\.ten-secondly/);
	assert.doesNotMatch(v.reason, /server asks to wait 10s/);
});
