import type Redis from 'ioredis';
import { callRedis, defineScripts, type ScriptCommand } from '../store/redis/commands';
import { DEFAULT_KEY_PREFIX, entityKey, GLOBAL_NAMESPACE, validateKeySpace } from '../store/keys';
import type { KeySpace } from '../store/types';
import * as L from './ledger-logic';
import { LEDGER_CHECK_LUA } from './scripts/ledger-check.lua';
import { LEDGER_CLAIM_LUA } from './scripts/ledger-claim.lua';
import { LEDGER_SETTLE_LUA } from './scripts/ledger-settle.lua';
import type { ClaimOptions, ClaimResult, CompleteResult, IdempotencyLedger, LedgerRecord, LedgerView, ReleaseResult } from './types';

export interface RedisLedgerOptions {
	prefix?: string;
	/** `wf:<workflowId>` by default in nodes (namespaceFor), or "global". */
	namespace?: string;
	/** How long a completed result (and an unfinished record) is kept; 24 h by default. */
	defaultTtlMs?: number;
	maxResultBytes?: number;
	/** Added to Redis TIME in every script: lets tests move time forward without sleeping. */
	timeOffsetMs?: () => number;
}

const SCRIPTS = { rsLedgerClaim: LEDGER_CLAIM_LUA, rsLedgerSettle: LEDGER_SETTLE_LUA, rsLedgerCheck: LEDGER_CHECK_LUA };
type LedgerCommands = Record<keyof typeof SCRIPTS, ScriptCommand<string>>;

type RawClaim = ClaimResult & { resultJson?: string; previousOwner?: string; leaseExpiredAt?: number };

/** One ledger shared by every process on one Redis; each intent is one Lua script timed by Redis. */
export class RedisIdempotencyLedger implements IdempotencyLedger {
	readonly kind = 'redis' as const;
	readonly keySpace: KeySpace;
	private readonly client: Redis & LedgerCommands;
	private readonly ttlMs: number;
	private readonly maxResultBytes: number;
	private readonly offset: () => number;

	constructor(client: Redis, o: RedisLedgerOptions = {}) {
		this.client = defineScripts(client, 1, SCRIPTS) as Redis & LedgerCommands;
		this.keySpace = validateKeySpace({ prefix: o.prefix ?? DEFAULT_KEY_PREFIX, namespace: o.namespace ?? GLOBAL_NAMESPACE });
		this.ttlMs = L.validateTtl(o.defaultTtlMs ?? L.DEFAULT_TTL_MS);
		this.maxResultBytes = o.maxResultBytes ?? L.DEFAULT_MAX_RESULT_BYTES;
		this.offset = o.timeOffsetMs ?? (() => 0);
	}

	/** The Redis key of one idempotency key: `<prefix>:<namespace>:idempotency:{<key>}`. */
	redisKey(key: string): string {
		return entityKey(this.keySpace, 'idempotency', key);
	}

	private async run<T>(cmd: keyof LedgerCommands, key: string, ...argv: Array<string | number>): Promise<T> {
		const raw = await callRedis(this.client, () => this.client[cmd](this.redisKey(key), ...argv));
		return JSON.parse(raw) as T;
	}

	async claim(key: string, o: ClaimOptions): Promise<ClaimResult> {
		const c = L.resolveClaim(key, o, this.ttlMs);
		const r = await this.run<RawClaim>('rsLedgerClaim', key, c.owner, c.fingerprint, c.leaseMs, c.ttlMs, this.offsetArg());
		if (r.status === 'duplicate') {
			return { status: 'duplicate', result: L.decodeResult(r.resultJson ?? ''), firstDoneAt: r.firstDoneAt, completedAt: r.completedAt, attempt: r.attempt };
		}
		if (r.status === 'new' && r.previousOwner !== undefined) {
			return { status: 'new', owner: r.owner, leaseExpiresAt: r.leaseExpiresAt, attempt: r.attempt, tookOver: L.takeOver(r.previousOwner, r.leaseExpiredAt ?? 0) };
		}
		return r;
	}

	async complete(key: string, owner: string, result: unknown, ttlMs?: number): Promise<CompleteResult> {
		L.validateKey(key);
		L.validateOwner(owner);
		const text = L.encodeResult(result, this.maxResultBytes);
		return this.run('rsLedgerSettle', key, 'complete', owner, text, L.validateTtl(ttlMs ?? this.ttlMs), this.offsetArg());
	}

	async release(key: string, owner: string): Promise<ReleaseResult> {
		L.validateKey(key);
		L.validateOwner(owner);
		return this.run('rsLedgerSettle', key, 'release', owner, '', 0, this.offsetArg());
	}

	async check(key: string): Promise<LedgerView> {
		L.validateKey(key);
		const r = await this.run<{ now: number; record?: LedgerRecord }>('rsLedgerCheck', key, this.offsetArg());
		return L.viewOf(key, r.record, r.now);
	}

	/** Test-only time shift sent to every script (0 in production). */
	private offsetArg(): number {
		return Math.round(this.offset());
	}
}
