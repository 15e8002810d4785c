// Pipedrive. Source: platform-facts.md §2.13 (2-second burst window, relative x-ratelimit-reset, daily budget) and §5.13.
import type { Preset } from '../types';

export const pipedrive: Preset = {
	name: 'pipedrive',
	title: 'Pipedrive',
	source: 'platform-facts.md §2.13, §5.13; pipedrive.readme.io core-api-concepts-rate-limiting',
	policy: { maxAttempts: 5, baseDelayMs: 2000, maxServerWaitMs: 30_000 },
	resetHeaders: [{ header: 'x-ratelimit-reset', format: 'relativeSeconds' }],
	rules: [
		{
			id: 'pipedrive.daily-budget',
			description: 'rate limit: daily request budget used up (resets at midnight UTC)',
			match: { status: 429, headers: { 'x-daily-requests-left': '0' } },
			class: 'quota-wait',
			retryAtTemplate: '{{nextUtcMidnight}}',
			scope: 'account',
			breakerFailure: false,
		},
		{ id: 'pipedrive.rate-limit', description: 'rate limit: 2-second burst window', match: { status: 429 }, class: 'transient', notProcessed: true, breakerFailure: false },
		{ id: 'pipedrive.not-success', description: 'HTTP 2xx but success: false', match: { status: '2xx', jsonPath: 'success', equals: false }, class: 'permanent' },
	],
};
