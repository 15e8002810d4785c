// ZoomInfo, Clay and Attio. Source: platform-facts.md §2.6, §2.7, §2.17 and §5.6, §5.7, §5.17.
import type { Preset } from '../types';

export const zoominfo: Preset = {
	name: 'zoominfo',
	title: 'ZoomInfo',
	source: 'platform-facts.md §2.6, §5.6; docs.zoominfo.com/docs/rate-limits (rejected calls do not consume quota)',
	policy: { maxAttempts: 6, baseDelayMs: 1000, maxServerWaitMs: 60_000 },
	rules: [
		{
			id: 'zoominfo.contract-limit',
			description: 'contract query limit reached: contact ZoomInfo',
			match: { bodyRegex: 'overall API query request limit|querytype request limit' },
			class: 'permanent',
			scope: 'account',
			breakerFailure: false,
		},
		{ id: 'zoominfo.day-exhausted', description: 'rate limit: daily window used up', match: { status: 429, headers: { 'x-ratelimit-remaining-day': '0' } }, class: 'quota-wait', retryAtTemplate: '{{now:+1h}}', scope: 'account', breakerFailure: false },
		{ id: 'zoominfo.hour-exhausted', description: 'rate limit: hourly window used up', match: { status: 429, headers: { 'x-ratelimit-remaining-hour': '0' } }, class: 'quota-wait', retryAtTemplate: '{{now:+1h}}', scope: 'account', breakerFailure: false },
		{ id: 'zoominfo.rate-limit', description: 'rate limit: per-second window', match: { status: 429 }, class: 'transient', notProcessed: true, breakerFailure: false },
	],
};

export const clay: Preset = {
	name: 'clay',
	title: 'Clay (webhook tables)',
	source: 'platform-facts.md §2.7, §5.7; university.clay.com webhook-integration-docs (50,000 submissions per webhook)',
	policy: { maxAttempts: 4, baseDelayMs: 1000, maxServerWaitMs: 30_000 },
	rules: [
		{ id: 'clay.submission-cap', description: 'webhook submission limit reached: create a new webhook', match: { status: '4xx', bodyRegex: 'submission limit|limit of 50,?000' }, class: 'permanent' },
		{ id: 'clay.too-large', description: 'payload over 100 KB', match: { status: 413 }, class: 'permanent' },
		{ id: 'clay.auth', description: 'webhook auth token rejected', match: { status: [401, 403] }, class: 'permanent' },
		{ id: 'clay.rate-limit', description: 'rate limit reached', match: { status: 429 }, class: 'transient', notProcessed: true, breakerFailure: false },
	],
};

export const attio: Preset = {
	name: 'attio',
	title: 'Attio',
	source: 'platform-facts.md §2.17, §5.17; docs.attio.com/rest-api/guides/rate-limiting (Retry-After is an HTTP-date)',
	policy: { maxAttempts: 6, baseDelayMs: 1000, maxServerWaitMs: 30_000 },
	rules: [
		{ id: 'attio.rate-limit', description: 'rate limit: the request was not processed', match: { jsonPath: 'type', equals: 'rate_limit_error' }, class: 'transient', notProcessed: true, breakerFailure: false },
		{ id: 'attio.write-conflict', description: 'record modified by another request meanwhile', match: { jsonPath: 'code', equals: 'concurrent_write_conflict' }, class: 'transient', notProcessed: true, breakerFailure: false },
	],
};
