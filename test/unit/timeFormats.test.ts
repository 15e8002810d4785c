import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration, parseResetHeader, parseRetryAfter, parseRetryAfterMs, renderRetryAt } from '../../src';

const now = Date.UTC(2026, 9, 21, 7, 28, 0);

test('Retry-After in seconds, decimal seconds and HTTP-date', () => {
	assert.deepEqual(parseRetryAfter('30', now), { ok: true, waitMs: 30000 });
	assert.deepEqual(parseRetryAfter(' 1.5 ', now), { ok: true, waitMs: 1500 });
	assert.deepEqual(parseRetryAfter('Wed, 21 Oct 2026 07:28:05 GMT', now), { ok: true, waitMs: 5000 });
});

test('an HTTP-date in the past means wait 0', () => {
	assert.deepEqual(parseRetryAfter('Wed, 21 Oct 2026 07:27:00 GMT', now), { ok: true, waitMs: 0 });
});

test('the Date header is the reference when present (clock skew)', () => {
	const skewedNow = now + 3000;
	const r = parseRetryAfter('Wed, 21 Oct 2026 07:28:05 GMT', skewedNow, 'Wed, 21 Oct 2026 07:28:00 GMT');
	assert.deepEqual(r, { ok: true, waitMs: 5000 });
});

test('unparseable Retry-After gives a warning, not a wait', () => {
	for (const v of ['soon', '', '-5', 'tomorrow-ish', '1e3']) {
		const r = parseRetryAfter(v, now);
		assert.equal(r.ok, false, v);
		if (!r.ok) assert.match(r.warning, /Retry-After/);
	}
});

test('retry-after-ms', () => {
	assert.deepEqual(parseRetryAfterMs('644'), { ok: true, waitMs: 644 });
	assert.equal(parseRetryAfterMs('x').ok, false);
});

test('Go-style and prose durations', () => {
	assert.equal(parseDuration('644ms'), 644);
	assert.equal(parseDuration('1s'), 1000);
	assert.equal(parseDuration('9.816s'), 9816);
	assert.equal(parseDuration('6m0s'), 360000);
	assert.equal(parseDuration('1h2m'), 3720000);
	assert.equal(parseDuration('20 seconds'), 20000);
	assert.equal(parseDuration('abc'), undefined);
	assert.equal(parseDuration('12'), undefined);
});

test('reset headers per format', () => {
	assert.deepEqual(parseResetHeader('epochSeconds', String(now / 1000 + 30), now), { ok: true, waitMs: 30000 });
	assert.deepEqual(parseResetHeader('epochMs', String(now + 250), now), { ok: true, waitMs: 250 });
	assert.deepEqual(parseResetHeader('relativeSeconds', '2', now), { ok: true, waitMs: 2000 });
	assert.deepEqual(parseResetHeader('windowMs', '10000', now), { ok: true, waitMs: 10000 });
	assert.deepEqual(parseResetHeader('duration', '644ms', now), { ok: true, waitMs: 644 });
	assert.deepEqual(parseResetHeader('rfc3339', '2026-10-21T07:28:42Z', now), { ok: true, waitMs: 42000 });
	assert.equal(parseResetHeader('epochSeconds', 'soon', now).ok, false);
});

test('retryAt templates', () => {
	assert.equal(renderRetryAt('{{nextUtcMidnight}}', now), Date.UTC(2026, 9, 22));
	assert.equal(renderRetryAt('{{nextUtcMonthStart}}', now), Date.UTC(2026, 10, 1));
	assert.equal(renderRetryAt('{{nextMinuteBoundary}}', now + 1), Date.UTC(2026, 9, 21, 7, 29));
	assert.equal(renderRetryAt('{{now:+24h}}', now), now + 86400000);
	// Berlin is UTC+2 on 21 Oct 2026 (summer time until 25 Oct): local midnight = 22:00 UTC.
	assert.equal(renderRetryAt('{{nextMidnight:Europe/Berlin}}', now), Date.UTC(2026, 9, 21, 22));
	assert.equal(renderRetryAt('{{nextAccountMidnight}}', now, { accountTimeZone: 'America/New_York' }), Date.UTC(2026, 9, 22, 4));
	assert.equal(renderRetryAt('{{nextAccountMidnight}}', now), Date.UTC(2026, 9, 22));
	// Across the DST change: 24 Oct 2026 23:00 UTC is 25 Oct 01:00 CEST; next midnight is 26 Oct 00:00 CET = 25 Oct 23:00 UTC.
	assert.equal(renderRetryAt('{{nextMidnight:Europe/Berlin}}', Date.UTC(2026, 9, 24, 23)), Date.UTC(2026, 9, 25, 23));
	assert.throws(() => renderRetryAt('{{nextMidnight:Mars/Olympus}}', now), /time zone/);
	assert.throws(() => renderRetryAt('{{bogus}}', now), /Unknown retryAt template/);
});
