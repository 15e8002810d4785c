// Anthropic. Source: platform-facts.md §2.9 (529 overload, spend cap until month start, RFC 3339 resets) and §5.9.
import type { Preset } from '../types';
import { SHOULD_RETRY_HEADER } from './commonRules';

export const anthropic: Preset = {
	name: 'anthropic',
	title: 'Anthropic',
	source: 'platform-facts.md §2.9, §5.9; docs.claude.com/en/api/errors; anthropic-sdk-python _constants.py',
	policy: { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 8000, maxServerWaitMs: 120_000, timeoutMs: 600_000 },
	resetHeaders: [
		{ header: 'anthropic-ratelimit-requests-reset', format: 'rfc3339' },
		{ header: 'anthropic-ratelimit-tokens-reset', format: 'rfc3339' },
		{ header: 'anthropic-ratelimit-input-tokens-reset', format: 'rfc3339' },
		{ header: 'anthropic-ratelimit-output-tokens-reset', format: 'rfc3339' },
	],
	rules: [
		{
			id: 'anthropic.spend-limit',
			description: 'monthly spend limit reached: access returns at 00:00 UTC on the 1st',
			match: { bodyRegex: 'enforced_spend_limit_reached|monthly API usage threshold' },
			class: 'quota-wait',
			retryAtTemplate: '{{nextUtcMonthStart}}',
			scope: 'org',
			breakerFailure: false,
		},
		{
			id: 'anthropic.usage-limits',
			description: 'workspace API usage limit reached',
			match: { status: 400, bodyRegex: 'specified (workspace )?API usage limits' },
			class: 'quota-wait',
			retryAtTemplate: '{{nextUtcMonthStart}}',
			extract: { regainAccess: 'regain access on ([0-9-]+(?: at [0-9:]+ UTC)?)' },
			scope: 'org',
			breakerFailure: false,
		},
		...SHOULD_RETRY_HEADER,
		{ id: 'anthropic.overloaded', description: 'Anthropic is overloaded for all users (529)', match: { status: 529 }, class: 'transient', waitMs: 2000, notProcessed: true, breakerFailure: true },
		{ id: 'anthropic.rate-limit', description: 'rate limit reached', match: { status: 429 }, class: 'transient', notProcessed: true, breakerFailure: false },
		{ id: 'anthropic.billing', description: 'billing problem', match: { status: 402 }, class: 'permanent' },
		{ id: 'anthropic.auth', description: 'API key invalid', match: { status: 401 }, class: 'permanent' },
	],
};
