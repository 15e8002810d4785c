// Zendesk and Intercom. Source: platform-facts.md §2.15, §2.16 (text/plain 429s, relative vs epoch reset headers) and §5.15, §5.16.
import type { Preset } from '../types';

export const zendesk: Preset = {
	name: 'zendesk',
	title: 'Zendesk',
	source: 'platform-facts.md §2.15, §5.15; developer.zendesk.com rate-limits',
	policy: { maxAttempts: 5, baseDelayMs: 5000, maxServerWaitMs: 120_000 },
	resetHeaders: [{ header: 'ratelimit-reset', format: 'relativeSeconds' }],
	rules: [
		{ id: 'zendesk.rate-limit', description: 'rate limit reached', match: { status: 429 }, class: 'transient', notProcessed: true, breakerFailure: false },
		{ id: 'zendesk.conflict', description: 'concurrent update conflict', match: { status: 409 }, class: 'transient', breakerFailure: false },
	],
};

export const intercom: Preset = {
	name: 'intercom',
	title: 'Intercom',
	source: 'platform-facts.md §2.16, §5.16; developers.intercom.com rate-limiting',
	policy: { maxAttempts: 5, baseDelayMs: 2000, maxServerWaitMs: 60_000 },
	resetHeaders: [{ header: 'x-ratelimit-reset', format: 'epochSeconds' }],
	rules: [
		{ id: 'intercom.rate-limit', description: 'rate limit reached', match: { status: 429 }, class: 'transient', notProcessed: true, breakerFailure: false },
		{ id: 'intercom.conflict', description: 'a contact with these details already exists: search and update', match: { status: 409 }, class: 'conflict', extract: { existingId: 'id=([A-Za-z0-9]+)' } },
		{ id: 'intercom.auth', description: 'access token invalid', match: { status: 401 }, class: 'permanent' },
	],
};
