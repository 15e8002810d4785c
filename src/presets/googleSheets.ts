// Google Sheets API. Source: platform-facts.md §2.12 (per-minute quotas, RESOURCE_EXHAUSTED, truncated exponential backoff) and §5.12.
import type { Preset } from '../types';

export const googleSheets: Preset = {
	name: 'google-sheets',
	title: 'Google Sheets',
	source: 'platform-facts.md §2.12, §5.12; developers.google.com/sheets/api/limits',
	policy: { maxAttempts: 7, baseDelayMs: 1000, maxDelayMs: 64_000, maxServerWaitMs: 64_000, maxRetryWindowMs: 180_000 },
	rules: [
		{
			id: 'google.quota-per-minute',
			description: 'rate limit: per-minute quota, refilled every minute',
			match: { bodyRegex: 'RESOURCE_EXHAUSTED|RATE_LIMIT_EXCEEDED|rateLimitExceeded|userRateLimitExceeded' },
			class: 'transient',
			notProcessed: true,
			breakerFailure: false,
		},
		{ id: 'google.permission', description: 'no access to the spreadsheet', match: { status: 403 }, class: 'permanent' },
	],
};
