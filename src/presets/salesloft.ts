// Salesloft. Source: platform-facts.md §2.4 (600 cost/min per team, no Retry-After confirmed) and §5.4.
import type { Preset } from '../types';

export const salesloft: Preset = {
	name: 'salesloft',
	title: 'Salesloft',
	source: 'platform-facts.md §2.4, §5.4; developers.salesloft.com rate-limits',
	policy: { maxAttempts: 5, baseDelayMs: 2000, maxServerWaitMs: 65_000 },
	recordHeaders: ['x-ratelimit-endpoint-cost', 'x-ratelimit-remaining-minute', 'x-ratelimit-remaining-per-minute'],
	rules: [
		{
			id: 'salesloft.minute-budget',
			description: 'rate limit: team cost budget per minute used up, wait for the next minute',
			match: { status: 429 },
			class: 'transient',
			retryAtTemplate: '{{nextMinuteBoundary}}',
			scope: 'account',
			notProcessed: true,
			breakerFailure: false,
		},
	],
};
