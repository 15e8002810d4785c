// OpenAI. Source: platform-facts.md §2.8 (same 429 status, three classes; duration-string resets; x-should-retry) and §5.8.
import type { Preset } from '../types';
import { SHOULD_RETRY_HEADER } from './commonRules';

export const openai: Preset = {
	name: 'openai',
	title: 'OpenAI',
	source: 'platform-facts.md §2.8, §5.8; openai/openai-python _base_client.py (retry-after-ms, x-should-retry, 120 s cap)',
	policy: { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 8000, maxServerWaitMs: 120_000, timeoutMs: 600_000 },
	idempotencyHeader: 'Idempotency-Key',
	resetHeaders: [
		{ header: 'x-ratelimit-reset-requests', format: 'duration' },
		{ header: 'x-ratelimit-reset-tokens', format: 'duration' },
	],
	bodyWaitHint: 'try again in ([0-9.]+\\s*(?:ms|s|m))',
	rules: [
		{
			id: 'openai.insufficient-quota',
			description: 'billing quota used up: needs a human (check plan and billing)',
			match: { bodyRegex: '"(type|code)"\\s*:\\s*"insufficient_quota"' },
			class: 'permanent',
			scope: 'org',
			breakerFailure: false,
		},
		{
			id: 'openai.request-too-large',
			description: 'request larger than the token-per-minute limit: reduce input or output tokens',
			match: { status: 429, bodyRegex: 'Request too large' },
			class: 'permanent',
			breakerFailure: false,
		},
		...SHOULD_RETRY_HEADER,
		{ id: 'openai.rate-limit', description: 'rate limit reached (requests or tokens per minute)', match: { status: 429 }, class: 'transient', notProcessed: true, breakerFailure: false },
		{ id: 'openai.auth', description: 'API key invalid', match: { status: 401 }, class: 'permanent' },
		{ id: 'openai.conflict', description: 'conflict (the SDK retries it)', match: { status: 409 }, class: 'transient' },
	],
};
