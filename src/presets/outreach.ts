// Outreach API v2 (JSON:API). Source: platform-facts.md §2.3 (422 bodies, epoch-second reset header) and §5.3.
import type { Preset } from '../types';

export const outreach: Preset = {
	name: 'outreach',
	title: 'Outreach',
	source: 'platform-facts.md §2.3, §5.3; singer-io/tap-outreach client.py (x-ratelimit-reset epoch seconds)',
	policy: { maxAttempts: 5, baseDelayMs: 1000, maxServerWaitMs: 120_000 },
	resetHeaders: [{ header: 'x-ratelimit-reset', format: 'epochSeconds' }],
	rules: [
		{ id: 'outreach.rate-limit', description: 'rate limit: hourly per-user budget', match: { status: 429 }, class: 'transient', scope: 'user', notProcessed: true, breakerFailure: false },
		{
			id: 'outreach.email-taken',
			description: 'the prospect already exists (email already taken): look it up by email and update',
			match: { status: 422, bodyRegex: 'has already been taken' },
			class: 'conflict',
		},
		{ id: 'outreach.excluded-email', description: 'email address is excluded (own domain): skip the record', match: { status: 422, bodyRegex: 'excluded email address' }, class: 'permanent' },
		{ id: 'outreach.forbidden', description: 'missing OAuth scope', match: { status: 403 }, class: 'permanent' },
	],
};
