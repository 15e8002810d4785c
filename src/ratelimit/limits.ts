// Proactive limits per preset: ~90-95 % of each documented ceiling, chosen so that burst + window × rate stays under it.
// Sources: ../shared/platform-facts.md (section per platform, §5 preset tables). Headers refine these at runtime.
import type { BucketSpec } from './types';

/** A platform's separately limited endpoints (HubSpot search, Stripe search/files...), with their own bucket. */
export interface EndpointClass {
	name: string;
	methods?: string[];
	/** Tested against the URL path. */
	pathRegex: string;
	bucket: BucketSpec;
}

export interface PresetLimits {
	/** What one bucket is shared by (always per credential; the platform's own scope is noted). */
	scope: string;
	bucket: BucketSpec;
	classes?: EndpointClass[];
	/** Plan/app variants of the default bucket, picked by the user. */
	tiers?: Record<string, BucketSpec>;
	source: string;
}

const WRITE = ['POST', 'PUT', 'PATCH', 'DELETE'];

export const RATE_LIMITS: Record<string, PresetLimits> = {
	hubspot: {
		scope: 'app (burst), account (daily, search)',
		// 100 per rolling 10 s (Free/Starter): 3 + 10 s × 9.5/s = 98, so the rolling window holds even with network jitter.
		bucket: { ratePerSec: 9.5, burst: 3, dailyReserveShare: 0.02 },
		tiers: {
			'private-pro': { ratePerSec: 17, burst: 10, dailyReserveShare: 0.02 }, // 180 of 190 / 10 s
			'public-oauth': { ratePerSec: 10, burst: 5, dailyReserveShare: 0.02 }, // 105 of 110 / 10 s
			'limit-pack': { ratePerSec: 23, burst: 10, dailyReserveShare: 0.02 }, // 240 of 250 / 10 s
		},
		classes: [{ name: 'search', methods: ['POST'], pathRegex: '/search$', bucket: { ratePerSec: 4, burst: 1 } }], // 5/s per account
		source: 'platform-facts.md §2.1 (100/10 s Free/Starter, 190 Pro/Ent, 110 public OAuth, search 5/s; daily stop at < 2 %), §5.1',
	},
	salesforce: {
		scope: 'org',
		// No per-second limit; the daily allocation comes from Sforce-Limit-Info (throttle at 90 %, non-critical stops at 95 %).
		bucket: { ratePerSec: 0, burst: 25, dailyReserveShare: 0.05 },
		source: 'platform-facts.md §2.2 (rolling 24 h allocation, Sforce-Limit-Info), §5.2',
	},
	outreach: { scope: 'user', bucket: { ratePerSec: 2.5, burst: 50 }, source: 'platform-facts.md §2.3 (10,000 / h per user), §5.3 (9,000 / h)' },
	salesloft: { scope: 'team (shared with other integrations)', bucket: { ratePerSec: 8.3, burst: 10 }, source: 'platform-facts.md §2.4 (600 cost / min per team), §5.4 (500 / min; pass cost for deep pages)' },
	apollo: {
		scope: 'team',
		// The hourly budget binds for non-enrichment calls: 20 + 3600 s × 0.1/s = 380 of 400 / h.
		bucket: { ratePerSec: 0.1, burst: 20 },
		classes: [{ name: 'enrichment', pathRegex: '/(people|organizations)/(bulk_)?(match|enrich)', bucket: { ratePerSec: 15, burst: 30 } }],
		source: 'platform-facts.md §2.5 (Basic: 200 / min, 400 / h; enrichment 1,000 / min), §5.5',
	},
	zoominfo: {
		scope: 'account',
		bucket: { ratePerSec: 22, burst: 3 },
		tiers: { builder: { ratePerSec: 4, burst: 1 }, scaling: { ratePerSec: 32, burst: 3 } },
		source: 'platform-facts.md §2.6 (Standard 25 / s, Builder 5, Scaling 35), §5.6',
	},
	clay: { scope: 'workspace', bucket: { ratePerSec: 8, burst: 2 }, source: 'platform-facts.md §2.7 (10 records / s, unconfirmed), §5.7' },
	openai: { scope: 'organization / project', bucket: { ratePerSec: 0, burst: 10 }, source: 'platform-facts.md §2.8: RPM/TPM per tier, read from x-ratelimit-* (durations)' },
	anthropic: { scope: 'organization', bucket: { ratePerSec: 0, burst: 10 }, source: 'platform-facts.md §2.9: RPM/ITPM/OTPM from anthropic-ratelimit-* (RFC 3339 resets)' },
	stripe: {
		scope: 'account',
		bucket: { ratePerSec: 80, burst: 10 },
		tiers: { sandbox: { ratePerSec: 20, burst: 2 } },
		classes: [{ name: 'search-files', pathRegex: '^/v1/(files|.+/search)', bucket: { ratePerSec: 16, burst: 2 } }],
		source: 'platform-facts.md §2.10 (100 / s live, 25 sandbox, Files/Search 20 / s), §5.10',
	},
	slack: {
		scope: 'method per workspace per app',
		bucket: { ratePerSec: 0.75, burst: 3 }, // Tier 3: 50+/min
		classes: [{ name: 'chat.postMessage', pathRegex: '/chat\\.postMessage$', bucket: { ratePerSec: 1, burst: 1 } }],
		source: 'platform-facts.md §2.11 (Tier 3 50+/min, postMessage ~1 / s per channel), §5.11',
	},
	'google-sheets': { scope: 'user per project', bucket: { ratePerSec: 0.9, burst: 5 }, source: 'platform-facts.md §2.12 (60 / min per user), §5.12 (55 / min)' },
	pipedrive: {
		scope: 'token',
		bucket: { ratePerSec: 9, burst: 2 }, // Essential api_token 20 / 2 s
		classes: [{ name: 'search', pathRegex: '/search$', bucket: { ratePerSec: 4, burst: 2 } }], // 10 / 2 s
		source: 'platform-facts.md §2.13 (burst per 2 s per token, search 10 / 2 s), §5.13',
	},
	dataverse: { scope: 'user per web server', bucket: { ratePerSec: 18, burst: 50 }, source: 'platform-facts.md §2.14 (6,000 / 300 s per user), §5.14 (5,400 / 5 min)' },
	msgraph: { scope: 'app per tenant (service-specific)', bucket: { ratePerSec: 15, burst: 20 }, source: 'platform-facts.md §2.14 (Outlook 10,000 / 10 min, secondary)' },
	zendesk: {
		scope: 'account',
		bucket: { ratePerSec: 3, burst: 10 }, // Team plan 200 / min; headers raise nothing, they only slow down
		classes: [{ name: 'incremental-export', pathRegex: '/incremental/', bucket: { ratePerSec: 0.15, burst: 1 } }], // 10 / min
		source: 'platform-facts.md §2.15 (plan per minute, incremental export 10 / min), §5.15',
	},
	intercom: { scope: 'app', bucket: { ratePerSec: 140, burst: 50 }, source: 'platform-facts.md §2.16 (10,000 / min in 10 s windows), §5.16' },
	attio: {
		scope: 'workspace',
		bucket: { ratePerSec: 90, burst: 5 },
		classes: [{ name: 'writes', methods: WRITE, pathRegex: '.', bucket: { ratePerSec: 22, burst: 3 } }],
		source: 'platform-facts.md §2.17 (100 reads / s, 25 writes / s), §5.17',
	},
	generic: { scope: 'credential', bucket: { ratePerSec: 0, burst: 10 }, source: 'no documented limit: headers (X-RateLimit-*, RateLimit) and Retry-After decide' },
	webhook: { scope: 'credential', bucket: { ratePerSec: 0, burst: 10 }, source: 'no documented limit: headers and Retry-After decide' },
};

/** The preset's limits (generic when the preset has none), with the tier applied. */
export function limitsFor(preset: string, tier?: string): PresetLimits {
	const l = RATE_LIMITS[preset] ?? RATE_LIMITS.generic;
	if (!tier) return l;
	const t = l.tiers?.[tier];
	if (!t) throw new Error(`Unknown rate-limit tier "${tier}" for ${preset}. Valid tiers: ${Object.keys(l.tiers ?? {}).join(', ') || 'none'}`);
	return { ...l, bucket: t };
}

/** The endpoint class a request falls in (first match), or undefined for the preset's default bucket. */
export function endpointClassFor(l: PresetLimits, method: string, url: string): EndpointClass | undefined {
	let path = url;
	try {
		path = new URL(url).pathname;
	} catch {
		/* a bare path */
	}
	const m = method.toUpperCase();
	return l.classes?.find((c) => (!c.methods || c.methods.includes(m)) && new RegExp(c.pathRegex).test(path));
}
