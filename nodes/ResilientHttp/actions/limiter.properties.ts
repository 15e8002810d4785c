// The Rate Limit setting of Resilient HTTP: the preset's limits (default), a custom rate, or off; the state parameters
// it shares with the circuit breaker and the guard (shown here when both are off); and its finer options.
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { RATE_LIMITS } from '../../../src/ratelimit';
import { getPreset } from '../../../src';
import { stateStoreProperties } from '../../shared/stores';

const ON = { rateLimit: ['preset', 'custom'] };

const STATE_TEXT: Record<string, string> = {
	stateBackend: 'Where rate-limit buckets are kept: Redis makes every n8n process and queue-mode worker share one budget per credential',
	stateScope: 'Which workflows share the buckets: to keep several workflows that use one credential under one API limit, share them under a global name',
	stateNamespace: 'Workflows that use the same name share rate-limit buckets (with Redis: across all of n8n)',
};

const LIMITER_EMBEDDED_NOTICE =
	'Embedded buckets live in this n8n process and are shared by its executions; each queue-mode worker (and each "n8n execute" process) paces only itself. Pick Redis to share one budget per credential across all of them.';

/** "Preset: tier (rate)" for every preset that has plan or app variants; the value names both. */
export function tierOptions(): INodePropertyOptions[] {
	const out: INodePropertyOptions[] = [{ name: 'Preset Default', value: '' }];
	for (const [preset, l] of Object.entries(RATE_LIMITS)) {
		for (const [tier, b] of Object.entries(l.tiers ?? {})) {
			out.push({ name: `${getPreset(preset).title}: ${tier} (${b.ratePerSec}/s, burst ${b.burst})`, value: `${preset}:${tier}` });
		}
	}
	return out.sort((a, b) => a.name.localeCompare(b.name));
}

export function limiterProperties(): INodeProperties[] {
	return [
		{
			displayName: 'Rate Limit',
			name: 'rateLimit',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Custom Rate', value: 'custom', description: 'Your own requests per second and burst for this credential; endpoint classes and headers still apply' },
				{ name: 'Off', value: 'off', description: 'No pacing: only Retry-After and the retry rules slow requests down' },
				{
					name: "Preset's Limits",
					value: 'preset',
					description: "Pace at about 90-95 % of the platform's documented limit (shown in the preset's notice above), adapted from rate-limit headers",
				},
			],
			default: 'preset',
			description:
				'Whether to pace requests before the API answers 429: one token bucket per preset and credential (and per endpoint class, e.g. HubSpot search), slowed by what each response says is left, and a daily-quota guard. A wait that would end outside the retry window sends the item to Failed as deferred with retryAt instead of sleeping.',
		},
		{
			displayName: 'Requests per Second',
			name: 'rateLimitPerSecond',
			type: 'number',
			typeOptions: { minValue: 0.001, numberPrecision: 3 },
			default: 10,
			description: 'Sustained rate for this credential; 100 requests per 10 s is 10',
			displayOptions: { show: { rateLimit: ['custom'] } },
		},
		{
			displayName: 'Burst',
			name: 'rateLimitBurst',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 5,
			description: 'Requests that may go out at once after a quiet spell; keep burst + 10 s × rate under a rolling 10-second limit',
			displayOptions: { show: { rateLimit: ['custom'] } },
		},
		{
			displayName:
				'Buckets are per preset and credential (no credential: per host), plus one per endpoint class. Rate-limit headers (HubSpot X-HubSpot-RateLimit-*, Salesforce Sforce-Limit-Info, X-RateLimit-*, IETF RateLimit, OpenAI and Anthropic resets) slow a bucket down, Retry-After on a 429 or 503 pauses it, and near the end of a daily quota only critical calls go out. With the circuit breaker or the guard on, the limiter uses their state backend.',
			name: 'rateLimitNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: ON },
		},
		...stateStoreProperties({ circuitBreaker: [false], idempotencyGuard: [false], ...ON }).map((p) =>
			p.type === 'notice' ? { ...p, name: 'embeddedLimiterNotice', displayName: LIMITER_EMBEDDED_NOTICE } : { ...p, description: STATE_TEXT[p.name] ?? p.description },
		),
		{
			displayName: 'Rate Limit Options',
			name: 'rateLimitOptions',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions: { show: ON },
			options: [
				{
					displayName: 'Critical Traffic',
					name: 'critical',
					type: 'boolean',
					default: false,
					description:
						'Whether these calls may use the reserve kept at the end of a daily quota (HubSpot: the last 2 %, others 5 %); non-critical calls are deferred to the reset instead',
				},
				{
					displayName: 'Daily Reserve (%)',
					name: 'dailyReservePercent',
					type: 'number',
					typeOptions: { minValue: 0, maxValue: 99 },
					default: 0,
					description: "Share of a daily quota kept for critical traffic (0 = the preset's: HubSpot 2, others 5)",
				},
				{
					displayName: 'Plan or App Type',
					name: 'tier',
					type: 'options',
					options: tierOptions(),
					default: '',
					description: "A faster or slower variant of the preset's limit (e.g. HubSpot Professional private apps: 190 per 10 s)",
				},
				{
					displayName: 'Retry Budget',
					name: 'retryBudget',
					type: 'boolean',
					default: false,
					description:
						'Whether retries of one endpoint may be at most a share of its first attempts over the last minute (at least 3), so an outage does not multiply load; a refused retry defers the item',
				},
				{
					displayName: 'Retry Budget (%)',
					name: 'retryBudgetPercent',
					type: 'number',
					typeOptions: { minValue: 0, maxValue: 100 },
					default: 10,
					description: 'Retries allowed per 100 first attempts of an endpoint (the SRE book suggests 10)',
				},
				{
					displayName: 'Tokens per Request',
					name: 'cost',
					type: 'number',
					typeOptions: { minValue: 0.001 },
					default: 1,
					description: 'What one request uses of the bucket (Salesloft charges more for deep pages); at most the burst',
				},
			],
		},
	];
}
