// Binds a limiter store to one preset and credential: the bucket per request (endpoint class), the executor's
// executor's gate (gate.ts), and adaptation from every response's headers.
import { endpointBreakerKey } from '../breaker/route-template';
import type { AttemptResult, Clock, Preset, RequestFacts, RetryPolicy, Verdict } from '../types';
import { limiterGate, type GateLimiter, type LimiterGate, type LimiterGateOptions } from './gate';
import { readRateHeaders } from './headers';
import { endpointClassFor, limitsFor, type PresetLimits } from './limits';
import { resolveRetryBudget } from './retry-budget';
import type { BucketSpec, LimiterDecision, LimiterStore, LimiterView, RetryBudgetDecision, RetryBudgetPolicy } from './types';

export interface RateLimiterOptions {
	store: LimiterStore;
	/** Preset name (limits from RATE_LIMITS; unknown → generic) or the preset itself (its reset-header formats are used). */
	preset: string | Preset;
	/** An identifier of the credential (n8n credential id), never the secret: buckets are per credential. */
	credentialId: string;
	tier?: string;
	/** The user's values over the preset's default bucket. */
	overrides?: Partial<BucketSpec>;
	/** Critical traffic may use the daily reserve. */
	critical?: boolean;
	/** HubSpot: the account's IANA zone (daily reset at its midnight). */
	accountTimeZone?: string;
	/** SRE retry budget per endpoint; false turns it off. */
	retryBudget?: Partial<RetryBudgetPolicy> | false;
	clock?: Clock;
}

/** Token budgets are learned from headers only; a huge burst lets any single request's estimate fit. */
const TOKEN_BUCKET: BucketSpec = { ratePerSec: 0, burst: 100_000_000, unit: 'tokens' };

export interface BucketChoice {
	key: string;
	spec: BucketSpec;
	endpointClass?: string;
}

export class RateLimiter implements GateLimiter {
	readonly limits: PresetLimits;
	private readonly presetName: string;
	private readonly preset?: Preset;
	private readonly budget?: RetryBudgetPolicy;
	private readonly clock: Clock;

	constructor(private readonly o: RateLimiterOptions) {
		this.presetName = typeof o.preset === 'string' ? o.preset : o.preset.name;
		this.preset = typeof o.preset === 'string' ? undefined : o.preset;
		this.limits = limitsFor(this.presetName, o.tier);
		this.budget = o.retryBudget === false ? undefined : resolveRetryBudget(o.retryBudget || {});
		this.clock = o.clock ?? { now: () => Date.now() };
	}

	/** `<preset>:<credential>` or `<preset>:<credential>:<class>`: the bucket this request draws from. */
	bucketFor(req: Pick<RequestFacts, 'method' | 'url'>): BucketChoice {
		const cls = endpointClassFor(this.limits, req.method, req.url);
		const base = `${this.presetName}:${this.o.credentialId}`;
		if (cls) return { key: `${base}:${cls.name}`, spec: cls.bucket, endpointClass: cls.name };
		const clean = Object.fromEntries(Object.entries(this.o.overrides ?? {}).filter(([, v]) => v !== undefined));
		return { key: base, spec: { ...this.limits.bucket, ...clean } };
	}

	acquire(req: Pick<RequestFacts, 'method' | 'url'>, o: { maxWaitMs?: number; cost?: number } = {}): Promise<LimiterDecision> {
		const b = this.bucketFor(req);
		return this.o.store.acquire(b.key, { ...b.spec, ...o, critical: this.o.critical });
	}

	/** Adapts the request's bucket to what the response said; undefined when it said nothing. */
	async observe(req: Pick<RequestFacts, 'method' | 'url'>, result: AttemptResult, verdict?: Verdict): Promise<LimiterView | undefined> {
		if (result.kind !== 'response') return undefined;
		const now = this.clock.now();
		const { status, headers } = result.response;
		const obs = readRateHeaders(headers, { now, status, resetHeaders: this.preset?.resetHeaders, accountTimeZone: this.o.accountTimeZone });
		if (status === 429 && obs.windows.length === 0 && obs.pauseMs === undefined) {
			// A bare 429: the server has nothing left right now.
			obs.windows.push({ name: '429', unit: 'requests', remaining: 0 });
		}
		// An account-wide quota answer (HubSpot DAILY, Salesforce TotalRequests) holds every item of this credential back.
		const until = verdict?.retryAt ?? (verdict?.serverWaitMs !== undefined ? now + verdict.serverWaitMs : undefined);
		if (verdict?.class === 'quota-wait' && until !== undefined && verdict.scope && verdict.scope !== 'request' && until > now) {
			obs.pauseMs = Math.max(obs.pauseMs ?? 0, until - now);
			obs.pauseReason = `quota-wait: ${verdict.reason}`;
		}
		if (obs.windows.length === 0 && !obs.daily && obs.pauseMs === undefined) return undefined;
		const b = this.bucketFor(req);
		const view = await this.o.store.adapt(b.key, b.spec, obs);
		if (obs.windows.some((w) => w.unit === 'tokens')) await this.o.store.adapt(`${b.key}:tokens`, TOKEN_BUCKET, obs);
		return view;
	}

	/** Model tokens (OpenAI TPM, Anthropic ITPM): a second bucket, unlimited until the token headers shape it. */
	acquireTokens(req: Pick<RequestFacts, 'method' | 'url'>, tokens: number, maxWaitMs = 0): Promise<LimiterDecision> {
		return this.o.store.acquire(`${this.bucketFor(req).key}:tokens`, { ...TOKEN_BUCKET, cost: Math.min(Math.max(1, Math.ceil(tokens)), TOKEN_BUCKET.burst), maxWaitMs, critical: this.o.critical });
	}

	/** Counts a first attempt or spends a retry of this endpoint's budget; undefined when the budget is off. */
	async spendRetryBudget(req: Pick<RequestFacts, 'method' | 'url'>, attempt: number): Promise<{ decision: RetryBudgetDecision; policy: RetryBudgetPolicy; endpoint: string } | undefined> {
		if (!this.budget) return undefined;
		const endpoint = endpointBreakerKey({ method: req.method, url: req.url, credentialId: this.o.credentialId });
		const decision = await this.o.store.retryBudget(endpoint, attempt === 1 ? 'request' : 'retry', this.budget);
		return { decision, policy: this.budget, endpoint };
	}

	async pausedUntil(req: Pick<RequestFacts, 'method' | 'url'>): Promise<number | undefined> {
		const b = this.bucketFor(req);
		const v = await this.o.store.getState(b.key, b.spec);
		return v.pausedUntil !== undefined && v.pausedUntil > v.now ? v.pausedUntil : undefined;
	}

	now(): number {
		return this.clock.now();
	}

	/**
	 * beforeAttempt/onAttempt for executeWithRetry: a slot within the retry window (and maxServerWaitMs) is booked and
	 * waited for; with `sleep`, a pause or reset within the window is waited out too; a longer wait, a pause or the
	 * daily guard defers the item with retryAt; retries spend the retry budget. `report()` says what it decided.
	 */
	hooks(request: RequestFacts, policy: RetryPolicy, per: LimiterGateOptions = {}): LimiterGate {
		return limiterGate(this, request, policy, per);
	}
}
