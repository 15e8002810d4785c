// Resilient HTTP's rate limiter for one execution: one store (the breaker's backend settings), one RateLimiter per
// preset, credential and settings, one gate per item; deferrals say why under resilience.rateLimit.
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { limitsFor, RateLimiter, type BucketSpec, type LimiterGate, type RetryBudgetPolicy } from '../../../src/ratelimit';
import { isStoreUnavailableError } from '../../../src/store';
import type { ExecutionResult, Preset, RequestFacts, RetryPolicy } from '../../../src/types';
import { ConfigError } from '../../shared/configError';
import { asConfigError } from '../../shared/errors';
import { buildLimiterStore, type BuiltLimiterStore } from '../../shared/limiterStore';
import { gateVerdict, storeOutageStop } from '../../shared/gateStop';
import { sleepWithAbort } from '../../shared/sleep';
import { parseStoreSettings } from '../../shared/stores';
import type { ItemGate } from './gates';

export interface RawRateLimitOptions {
	critical?: boolean;
	dailyReservePercent?: number;
	tier?: string;
	retryBudget?: boolean;
	retryBudgetPercent?: number;
	cost?: number;
}

export interface RateLimitSettings {
	overrides: Partial<BucketSpec>;
	tier?: string;
	critical: boolean;
	retryBudget: Partial<RetryBudgetPolicy> | false;
	cost?: number;
}

function num(v: unknown, parameter: string, ok: (n: number) => boolean, rule: string): number {
	const n = Number(v);
	if (v === '' || v === null || !Number.isFinite(n) || !ok(n)) throw new ConfigError(parameter, `${rule} (got "${String(v)}")`);
	return n;
}

function tierProblem(preset: string, tier: string): string | undefined {
	try {
		limitsFor(preset, tier);
		return undefined;
	} catch (e) {
		return (e as Error).message;
	}
}

/** The item's rate-limit parameters as limiter settings; a ConfigError names the parameter at fault. */
export function parseRateLimit(raw: { mode: string; perSecond?: unknown; burst?: unknown; options?: RawRateLimitOptions }, preset: string): RateLimitSettings {
	const o = raw.options ?? {};
	const s: RateLimitSettings = { overrides: {}, critical: o.critical === true, retryBudget: false };
	if (raw.mode === 'custom') {
		s.overrides.ratePerSec = num(raw.perSecond ?? 10, 'rateLimitPerSecond', (n) => n > 0, 'Requests per Second must be a number above 0');
		s.overrides.burst = num(raw.burst ?? 5, 'rateLimitBurst', (n) => n >= 1, 'Burst must be a number of at least 1');
	} else if (raw.mode !== 'preset') throw new ConfigError('rateLimit', `Unknown rate limit "${raw.mode}": use preset, custom or off`);
	if (o.dailyReservePercent !== undefined && Number(o.dailyReservePercent) !== 0) {
		s.overrides.dailyReserveShare = num(o.dailyReservePercent, 'rateLimitOptions.dailyReservePercent', (n) => n > 0 && n < 100, 'Daily Reserve must be a percentage from 0 to 99') / 100;
	}
	if (o.tier) {
		const [tierPreset, tier] = String(o.tier).split(':');
		if (tierPreset !== preset || !tier) throw new ConfigError('rateLimitOptions.tier', `Plan or App Type "${o.tier}" belongs to another preset than ${preset}; pick one of ${preset} or Preset Default`);
		const problem = tierProblem(preset, tier);
		if (problem) throw new ConfigError('rateLimitOptions.tier', problem);
		s.tier = tier;
	}
	if (o.retryBudget === true) {
		s.retryBudget = { ratio: num(o.retryBudgetPercent ?? 10, 'rateLimitOptions.retryBudgetPercent', (n) => n >= 0 && n <= 100, 'Retry Budget must be a percentage from 0 to 100') / 100 };
	}
	if (o.cost !== undefined && Number(o.cost) !== 1) s.cost = num(o.cost, 'rateLimitOptions.cost', (n) => n > 0, 'Tokens per Request must be a number above 0');
	return s;
}

/** What a prepared item carries for its limiter. */
export interface ItemLimit {
	limiter: RateLimiter;
	cost?: number;
}

export interface Limiters {
	/** Reads and checks item i's settings (errors name the parameter) and picks its limiter. */
	prepare(i: number, preset: Preset, facts: RequestFacts, presetOptions: Record<string, string>): ItemLimit;
	forItem(i: number, limit: ItemLimit, facts: RequestFacts, policy: RetryPolicy, signal?: AbortSignal): ItemGate;
	/** The Failed item's `resilience.rateLimit`. */
	reportFor(i: number): IDataObject | undefined;
	markSuccess(item: INodeExecutionData): INodeExecutionData;
	close(): void;
}

const ONE_PER_HOST = (facts: RequestFacts) => {
	try {
		return `host:${new URL(facts.url).host}`;
	} catch {
		return 'host:unknown';
	}
};

/** One item's limiter gate as the node runs it: store outages named, a missed observation a warning, a hold-back explained. */
export function limiterItemGate(gate: LimiterGate, explain: BuiltLimiterStore['explain']): ItemGate {
	const warnings: string[] = [];
	let unreachable: string | undefined;
	return {
		async beforeAttempt(attempt) {
			// Any other store error propagates as an engine failure: the item still lands on Failed.
			const g = await gate.beforeAttempt(attempt).catch((e: unknown) => {
				if (isStoreUnavailableError(e)) return e;
				throw e;
			});
			if (!isStoreUnavailableError(g)) return g;
			unreachable = explain(g);
			return storeOutageStop(unreachable);
		},
		async onAttempt(record, verdict, result) {
			try {
				await gate.onAttempt(record, verdict, result);
			} catch (e) {
				// The request already happened: its result stands; only the limiter missed what it said.
				warnings.push(`rate limiter could not read attempt ${record.attempt}: ${explain(e)}`);
			}
		},
		finish(result) {
			const r: ExecutionResult = { ...result, warnings: [...result.warnings, ...warnings] };
			const rep = gate.report();
			if (unreachable && r.outcome === 'deferred') r.verdict = gateVerdict(r, unreachable, 'ratelimit.store-unreachable', 'transient');
			else if (rep.stoppedBy && r.outcome === 'deferred') r.verdict = gateVerdict(r, `Rate limiter held this item back (${rep.stoppedBy}): ${rep.detail ?? ''}; no request sent for it`, `ratelimit.${rep.stoppedBy}`, 'quota-wait');
			return r;
		},
	};
}

export async function openLimiters(ctx: IExecuteFunctions, credentialId: string | undefined): Promise<Limiters | undefined> {
	if (ctx.getNodeParameter('rateLimit', 0, 'preset') === 'off') return undefined;
	const settings = parseStoreSettings({
		backend: ctx.getNodeParameter('stateBackend', 0, 'embedded'),
		scope: ctx.getNodeParameter('stateScope', 0, 'workflow'),
		globalName: ctx.getNodeParameter('stateNamespace', 0, 'global'),
		onUnreachable: ctx.getNodeParameter('onStoreUnreachable', 0, 'fail'),
	});
	const built = await buildLimiterStore(ctx, settings);
	const limiters = new Map<string, RateLimiter>();
	const gates = new Map<number, LimiterGate>();
	const read = <T>(name: string, i: number, fallback: T): T => {
		try {
			return ctx.getNodeParameter(name, i, fallback) as T;
		} catch (e) {
			throw asConfigError(e, name);
		}
	};
	return {
		prepare(i, preset, facts, presetOptions) {
			const s = parseRateLimit(
				{ mode: read('rateLimit', i, 'preset'), perSecond: read('rateLimitPerSecond', i, 10), burst: read('rateLimitBurst', i, 5), options: read<RawRateLimitOptions>('rateLimitOptions', i, {}) },
				preset.name,
			);
			const credential = credentialId ?? ONE_PER_HOST(facts);
			const tz = presetOptions.accountTimeZone?.trim() || undefined;
			const key = JSON.stringify([preset.name, credential, s.overrides, s.tier, s.critical, s.retryBudget, tz]);
			let limiter = limiters.get(key);
			if (!limiter) {
				limiter = new RateLimiter({ store: built.store, preset, credentialId: credential, tier: s.tier, overrides: s.overrides, critical: s.critical, accountTimeZone: tz, retryBudget: s.retryBudget });
				limiters.set(key, limiter);
			}
			const burst = limiter.bucketFor(facts).spec.burst;
			if (s.cost !== undefined && s.cost > burst) throw new ConfigError('rateLimitOptions.cost', `Tokens per Request ${s.cost} exceeds the bucket's burst ${burst}: it could never be sent`);
			return { limiter, cost: s.cost };
		},
		forItem(i, limit, facts, policy, signal) {
			const gate = limit.limiter.hooks(facts, policy, { cost: limit.cost, sleep: sleepWithAbort, signal });
			gates.set(i, gate);
			return limiterItemGate(gate, built.explain);
		},
		reportFor(i) {
			const rep = gates.get(i)?.report();
			if (!rep) return undefined;
			const out: IDataObject = { bucket: rep.bucket, waitedMs: rep.waitedMs, store: built.info() };
			if (rep.endpointClass) out.endpointClass = rep.endpointClass;
			if (rep.ratePerSec !== undefined) out.ratePerSec = rep.ratePerSec;
			if (rep.stoppedBy) Object.assign(out, { reason: rep.stoppedBy, detail: rep.detail, retryAt: new Date(rep.retryAt ?? 0).toISOString() });
			return out;
		},
		markSuccess(item) {
			const info = built.info();
			// With the breaker on it already said where the shared state went; the limiter speaks when it is alone.
			if (info.fellBack && item.json.resilienceStore === undefined) item.json.resilienceStore = info;
			return item;
		},
		close() {
			const info = built.info();
			if (info.warning) ctx.addExecutionHints({ message: info.warning, type: 'warning', location: 'outputPane' });
		},
	};
}
