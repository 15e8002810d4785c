// Apollo.io. Source: platform-facts.md §2.5 (which *-requests-left header is 0 decides minute/hour/day) and §5.5.
import type { Preset } from '../types';

export const apollo: Preset = {
	name: 'apollo',
	title: 'Apollo.io',
	source: 'platform-facts.md §2.5, §5.5; docs.apollo.io/reference/rate-limits',
	policy: { maxAttempts: 4, baseDelayMs: 2000, maxServerWaitMs: 60_000 },
	// Enrichment and search are reads sent as POST: a repeat after a lost answer creates nothing, though it spends
	// the lookup's credits again (§5.5) — a smaller harm than a lead left unenriched. Contact creates stay unsafe.
	idempotentRoutes: [
		{ method: 'POST', pathRegex: '/people/(bulk_)?match$' },
		{ method: 'POST', pathRegex: '/mixed_(people|companies)/search$' },
	],
	rules: [
		{
			id: 'apollo.daily-exhausted',
			description: 'rate limit: 24-hour request budget used up',
			match: { status: 429, headers: { 'x-24-hour-requests-left': '0' } },
			class: 'quota-wait',
			retryAtTemplate: '{{now:+24h}}',
			scope: 'account',
			breakerFailure: false,
		},
		{
			id: 'apollo.daily-exhausted-alias',
			description: 'rate limit: daily request budget used up',
			match: { status: 429, headers: { 'x-daily-requests-left': '0' } },
			class: 'quota-wait',
			retryAtTemplate: '{{now:+24h}}',
			scope: 'account',
			breakerFailure: false,
		},
		{
			id: 'apollo.hourly-exhausted',
			description: 'rate limit: hourly request budget used up',
			match: { status: 429, headers: { 'x-hourly-requests-left': '0' } },
			class: 'quota-wait',
			retryAtTemplate: '{{now:+1h}}',
			scope: 'account',
			breakerFailure: false,
		},
		{
			id: 'apollo.minute-exhausted',
			description: 'rate limit: per-minute budget used up, wait for the next minute',
			match: { status: 429, headers: { 'x-minute-requests-left': '0' } },
			class: 'transient',
			retryAtTemplate: '{{nextMinuteBoundary}}',
			notProcessed: true,
			breakerFailure: false,
		},
		{ id: 'apollo.auth', description: 'API key invalid or not allowed', match: { status: [401, 403] }, class: 'permanent' },
		{ id: 'apollo.credits', description: 'out of credits', match: { status: 402 }, class: 'permanent' },
	],
};
