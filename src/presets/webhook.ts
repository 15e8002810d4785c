// Outbound webhooks (Clay, Zapier, n8n, Slack incoming hooks...): a gone hook is final, receivers are slow.
import type { Preset } from '../types';
import { RATE_LIMIT_IN_BODY } from './commonRules';

export const webhook: Preset = {
	name: 'webhook',
	title: 'Webhook delivery',
	source: 'platform-facts.md §1.3 (webhook POSTs duplicate on retry), §2.7 (Clay webhooks), HubSpot inbound webhook retry guidance §2.1',
	policy: { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000, maxServerWaitMs: 60_000, timeoutMs: 15_000 },
	idempotencyHeader: 'Idempotency-Key',
	rules: [
		{ id: 'webhook.gone', description: 'the webhook no longer exists', match: { status: [404, 410] }, class: 'permanent' },
		{ id: 'webhook.too-large', description: 'payload too large for the receiver', match: { status: 413 }, class: 'permanent' },
		RATE_LIMIT_IN_BODY,
	],
};
