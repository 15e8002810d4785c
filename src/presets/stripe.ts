// Stripe. Source: platform-facts.md §2.10 (Stripe-Should-Retry authoritative, lock_timeout 429, Idempotency-Key) and §5.10.
import type { Preset } from '../types';

export const stripe: Preset = {
	name: 'stripe',
	title: 'Stripe',
	source: 'platform-facts.md §2.10, §5.10; stripe/stripe-python _http_client.py; docs.stripe.com/idempotency',
	policy: { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 5000, maxServerWaitMs: 60_000 },
	idempotencyHeader: 'Idempotency-Key',
	recordHeaders: ['stripe-should-retry', 'idempotent-replayed'],
	rules: [
		{ id: 'stripe.should-retry-false', description: 'Stripe says not to retry (Stripe-Should-Retry: false)', match: { headers: { 'stripe-should-retry': 'false' } }, class: 'permanent', breakerFailure: false },
		{ id: 'stripe.idempotency-error', description: 'idempotency key reused with different parameters', match: { jsonPath: 'error.type', equals: 'idempotency_error' }, class: 'permanent' },
		{ id: 'stripe.lock-timeout', description: 'object locked by another request (lock_timeout)', match: { status: 429, jsonPath: 'error.code', equals: 'lock_timeout' }, class: 'transient', notProcessed: true, breakerFailure: false },
		{ id: 'stripe.should-retry-true', description: 'Stripe says to retry (Stripe-Should-Retry: true)', match: { headers: { 'stripe-should-retry': 'true' } }, class: 'transient' },
		{ id: 'stripe.rate-limit', description: 'rate limit reached: back off at least 1 s', match: { status: 429 }, class: 'transient', waitMs: 1000, notProcessed: true, breakerFailure: false },
		{ id: 'stripe.concurrent-key', description: 'a concurrent request uses the same idempotency key', match: { status: 409 }, class: 'transient', notProcessed: true, breakerFailure: false },
		{ id: 'stripe.card-error', description: 'card declined or payment failed', match: { status: 402 }, class: 'permanent' },
		{ id: 'stripe.auth', description: 'API key invalid', match: { status: 401 }, class: 'permanent' },
	],
};
