import type Redis from 'ioredis';
import { callRedis, defineScripts, type ScriptCommand } from '../store/redis/commands';
import { DEFAULT_KEY_PREFIX, entityKey, GLOBAL_NAMESPACE, validateKeySpace } from '../store/keys';
import type { KeySpace } from '../store/types';
import { LIMITER_ACQUIRE_LUA } from './scripts/limiter-acquire.lua';
import { LIMITER_ADMIN_LUA } from './scripts/limiter-admin.lua';
import { RETRY_BUDGET_LUA } from './scripts/retry-budget.lua';
import type { AcquireRequest, BucketSpec, LimiterDecision, LimiterStore, LimiterView, RateObservation, RetryBudgetDecision, RetryBudgetPolicy } from './types';
import { validateAcquire } from './validate';

export interface RedisLimiterStoreOptions {
	prefix?: string;
	namespace?: string;
	/** A bucket's key lives this long after nothing in it matters any more (default 10 min). */
	idleTtlMs?: number;
	/** Added to Redis TIME in every script: lets tests move time forward without sleeping. */
	timeOffsetMs?: () => number;
}

const SCRIPTS = { rsLimiterAcquire: LIMITER_ACQUIRE_LUA, rsLimiterAdmin: LIMITER_ADMIN_LUA, rsRetryBudget: RETRY_BUDGET_LUA };
type LimiterCommands = Record<keyof typeof SCRIPTS, ScriptCommand<string>>;

/** Token buckets and retry budgets shared by every process on one Redis; each intent is one Lua script timed by Redis. */
export class RedisLimiterStore implements LimiterStore {
	readonly kind = 'redis' as const;
	readonly keySpace: KeySpace;
	private readonly client: Redis & LimiterCommands;
	private readonly idleTtlMs: number;
	private readonly offset: () => number;

	constructor(client: Redis, o: RedisLimiterStoreOptions = {}) {
		this.client = defineScripts(client, 1, SCRIPTS) as Redis & LimiterCommands;
		this.keySpace = validateKeySpace({ prefix: o.prefix ?? DEFAULT_KEY_PREFIX, namespace: o.namespace ?? GLOBAL_NAMESPACE });
		this.idleTtlMs = o.idleTtlMs ?? 600_000;
		this.offset = o.timeOffsetMs ?? (() => 0);
	}

	/** The Redis keys of one limiter key: its bucket and its retry budget (each with its own hash tag). */
	keys(key: string): { bucket: string; retryBudget: string } {
		return { bucket: entityKey(this.keySpace, 'limiter', key), retryBudget: entityKey(this.keySpace, 'retrybudget', key) };
	}

	private async run<T>(cmd: keyof LimiterCommands, k: string, ...argv: Array<string | number>): Promise<T> {
		return JSON.parse(await callRedis(this.client, () => this.client[cmd](k, ...argv))) as T;
	}

	private time(): number {
		return Math.round(this.offset());
	}

	async acquire(key: string, req: AcquireRequest): Promise<LimiterDecision> {
		validateAcquire(req);
		return this.run('rsLimiterAcquire', this.keys(key).bucket, key, JSON.stringify(req), this.time(), this.idleTtlMs);
	}

	async adapt(key: string, spec: BucketSpec, obs: RateObservation): Promise<LimiterView> {
		validateAcquire(spec);
		return fixView(await this.run('rsLimiterAdmin', this.keys(key).bucket, key, JSON.stringify(spec), this.time(), this.idleTtlMs, 'adapt', JSON.stringify(obs)));
	}

	async getState(key: string, spec: BucketSpec): Promise<LimiterView> {
		return fixView(await this.run('rsLimiterAdmin', this.keys(key).bucket, key, JSON.stringify(spec), this.time(), this.idleTtlMs, 'state', ''));
	}

	async reset(key: string): Promise<void> {
		const k = this.keys(key);
		await callRedis(this.client, () => this.client.del(k.bucket, k.retryBudget));
	}

	retryBudget(key: string, kind: 'request' | 'retry', policy: RetryBudgetPolicy): Promise<RetryBudgetDecision> {
		return this.run('rsRetryBudget', this.keys(key).retryBudget, kind, JSON.stringify(policy), this.time());
	}
}

/** cjson writes an empty Lua table as {} — the overrides list is an array in the view. */
function fixView(v: LimiterView): LimiterView {
	if (!Array.isArray(v.overrides)) v.overrides = [];
	return v;
}
