// Every header form of issue 6 read into one observation: windows, daily quota, pauses; absent or bad values ignored.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { guessResetMs, readRateHeaders } from '../../../src/ratelimit';
import { getPreset } from '../../../src';

const NOW = Date.UTC(2026, 10, 2, 10, 0, 0);
const read = (h: Record<string, string>, o: Partial<Parameters<typeof readRateHeaders>[1]> = {}) => readRateHeaders(h, { now: NOW, ...o });

describe('readRateHeaders', () => {
	it('HubSpot: rolling interval window and daily quota reset at the account midnight', () => {
		const h = {
			'x-hubspot-ratelimit-max': '100',
			'x-hubspot-ratelimit-remaining': '12',
			'x-hubspot-ratelimit-interval-milliseconds': '10000',
			'x-hubspot-ratelimit-daily': '250000',
			'x-hubspot-ratelimit-daily-remaining': '4000',
		};
		const o = read(h);
		assert.deepEqual(o.windows, [{ name: 'interval', unit: 'requests', remaining: 12, limit: 100, windowMs: 10_000 }]);
		assert.deepEqual(o.daily, { limit: 250_000, remaining: 4000, resetInMs: 14 * 3_600_000, source: 'x-hubspot-ratelimit-daily' });
		const berlin = read(h, { accountTimeZone: 'Europe/Berlin' });
		assert.equal(berlin.daily?.resetInMs, 13 * 3_600_000, 'midnight in Berlin is 23:00 UTC in November');
	});

	it('HubSpot search sends no headers: nothing is known, nothing is zero', () => {
		assert.deepEqual(read({ 'content-type': 'application/json' }), { windows: [], sources: [] });
	});

	it('Salesforce Sforce-Limit-Info: a rolling 24 h quota without reset', () => {
		assert.deepEqual(read({ 'sforce-limit-info': 'api-usage=9501/10000; api-bursts=1/750' }).daily, { limit: 10_000, remaining: 499, source: 'sforce-limit-info' });
	});

	it('X-RateLimit-Reset in epoch seconds, epoch ms, seconds left and duration forms', () => {
		const epochS = read({ 'x-ratelimit-limit': '10000', 'x-ratelimit-remaining': '20', 'x-ratelimit-reset': String(NOW / 1000 + 600) });
		assert.deepEqual(epochS.windows, [{ name: 'requests', unit: 'requests', remaining: 20, limit: 10_000, resetInMs: 600_000, windowMs: undefined }]);
		assert.equal(read({ 'x-ratelimit-remaining': '1', 'x-ratelimit-reset': String(NOW + 1500) }).windows[0].resetInMs, 1500);
		assert.equal(read({ 'x-ratelimit-remaining': '1', 'x-ratelimit-reset': '2' }).windows[0].resetInMs, 2000);
		assert.equal(read({ 'x-ratelimit-remaining': '1', 'x-ratelimit-reset': '6m0s' }).windows[0].resetInMs, 360_000);
		assert.deepEqual([guessResetMs('1.5s', NOW), guessResetMs('Mon, 02 Nov 2026 10:00:30 GMT', NOW), guessResetMs('soon', NOW)], [1500, 30_000, undefined]);
	});

	it("a preset's declared reset format wins over the guess", () => {
		const o = read({ 'x-ratelimit-remaining': '5', 'x-ratelimit-reset': '2' }, { resetHeaders: getPreset('pipedrive').resetHeaders });
		assert.equal(o.windows[0].resetInMs, 2000);
		const outreach = read({ 'x-ratelimit-remaining': '5', 'x-ratelimit-reset': String(NOW / 1000 + 30) }, { resetHeaders: getPreset('outreach').resetHeaders });
		assert.equal(outreach.windows[0].resetInMs, 30_000);
	});

	it('OpenAI: requests and tokens windows with duration resets', () => {
		const o = read({
			'x-ratelimit-limit-requests': '500',
			'x-ratelimit-remaining-requests': '3',
			'x-ratelimit-reset-requests': '12ms',
			'x-ratelimit-limit-tokens': '30000',
			'x-ratelimit-remaining-tokens': '63',
			'x-ratelimit-reset-tokens': '9.816s',
		});
		assert.deepEqual(o.windows.map((w) => [w.name, w.unit, w.remaining, w.limit, w.resetInMs]), [
			['requests', 'requests', 3, 500, 12],
			['tokens', 'tokens', 63, 30_000, 9816],
		]);
	});

	it('Azure OpenAI placeholders (-1) are not budgets', () => {
		assert.deepEqual(read({ 'x-ratelimit-limit-requests': '-1', 'x-ratelimit-remaining-requests': '-1' }).windows, []);
	});

	it('Anthropic: RFC 3339 resets per requests / input / output tokens', () => {
		const o = read({
			'anthropic-ratelimit-requests-limit': '50',
			'anthropic-ratelimit-requests-remaining': '4',
			'anthropic-ratelimit-requests-reset': '2026-11-02T10:00:20Z',
			'anthropic-ratelimit-input-tokens-remaining': '1000',
			'anthropic-ratelimit-input-tokens-reset': '2026-11-02T10:01:00Z',
		});
		assert.deepEqual(o.windows.map((w) => [w.name, w.unit, w.remaining, w.resetInMs]), [
			['requests', 'requests', 4, 20_000],
			['input-tokens', 'tokens', 1000, 60_000],
		]);
	});

	it('IETF RateLimit + RateLimit-Policy structured fields; a day-long policy is a daily quota', () => {
		const o = read({ ratelimit: '"burst";r=7;t=12, "day";r=900;t=30000', 'ratelimit-policy': '"burst";q=100;w=60, "day";q=10000;w=86400' });
		assert.deepEqual(o.windows, [{ name: 'burst', unit: 'requests', remaining: 7, limit: 100, windowMs: 60_000, resetInMs: 12_000 }]);
		assert.deepEqual(o.daily, { limit: 10_000, remaining: 900, resetInMs: 30_000_000, source: 'ratelimit' });
	});

	it('IETF older forms: one dictionary header, or RateLimit-Limit/-Remaining/-Reset (Zendesk)', () => {
		assert.deepEqual(read({ ratelimit: 'limit=100, remaining=50, reset=30' }).windows, [{ name: 'ratelimit', unit: 'requests', remaining: 50, limit: 100, resetInMs: 30_000 }]);
		const z = read({ 'ratelimit-limit': '100', 'ratelimit-remaining': '99', 'ratelimit-reset': '41' });
		assert.deepEqual(z.windows[0], { name: 'ratelimit', unit: 'requests', remaining: 99, limit: 100, resetInMs: 41_000, windowMs: undefined });
	});

	it('Zendesk X-Rate-Limit is a per-minute window', () => {
		assert.deepEqual(read({ 'x-rate-limit': '700', 'x-rate-limit-remaining': '3' }).windows, [{ name: 'requests', unit: 'requests', remaining: 3, limit: 700, resetInMs: undefined, windowMs: 60_000 }]);
	});

	it('Apollo minute / hourly / 24-hour counters', () => {
		const o = read({ 'x-rate-limit-minute': '200', 'x-minute-requests-left': '0', 'x-rate-limit-hourly': '400', 'x-hourly-requests-left': '120', 'x-rate-limit-24-hour': '2000', 'x-24-hour-requests-left': '90' });
		assert.deepEqual(o.windows.map((w) => [w.name, w.remaining, w.limit, w.windowMs]), [['minute', 0, 200, 60_000], ['hour', 120, 400, 3_600_000]]);
		assert.deepEqual(o.daily, { limit: 2000, remaining: 90, source: 'x-24-hour-requests-left' });
		assert.deepEqual(read({ 'x-daily-requests-left': '0' }).daily, { limit: 1, remaining: 0, source: 'x-daily-requests-left' }, 'Pipedrive: none left, limit unknown');
		assert.equal(read({ 'x-daily-requests-left': '7' }).daily, undefined);
	});

	it('per-period windows (ZoomInfo, Salesloft remaining-minute)', () => {
		const o = read({ 'x-ratelimit-limit-second': '25', 'x-ratelimit-remaining-second': '2', 'x-ratelimit-limit-day': '648000', 'x-ratelimit-remaining-day': '10', 'x-ratelimit-remaining-minute': '40' });
		assert.deepEqual(o.windows.map((w) => [w.name, w.remaining, w.limit, w.windowMs]), [['second', 2, 25, 1000], ['minute', 40, undefined, 60_000]]);
		assert.deepEqual(o.daily, { limit: 648_000, remaining: 10, source: 'x-ratelimit-*-day' });
	});

	it('Retry-After (seconds, HTTP-date, retry-after-ms) pauses only on 429 and 503', () => {
		assert.equal(read({ 'retry-after': '42' }, { status: 429 }).pauseMs, 42_000);
		assert.equal(read({ 'retry-after': 'Mon, 02 Nov 2026 10:00:05 GMT' }, { status: 503 }).pauseMs, 5000);
		assert.equal(read({ 'retry-after-ms': '644', 'retry-after': '1' }, { status: 429 }).pauseMs, 644);
		assert.equal(read({ 'retry-after': '42' }, { status: 200 }).pauseMs, undefined);
	});

	it('an absurd Retry-After (epoch seconds as a delta, year 9999) does not pause the shared bucket for decades', () => {
		assert.equal(read({ 'retry-after': '1733300000' }, { status: 429 }).pauseMs, undefined);
		assert.equal(read({ 'retry-after': 'Fri, 31 Dec 9999 23:59:59 GMT' }, { status: 429 }).pauseMs, undefined);
		assert.equal(read({ 'retry-after-ms': '999999999999' }, { status: 429 }).pauseMs, undefined);
	});
});
