import type Redis from 'ioredis';
import type { BreakerAcquireResult, BreakerEvent, BreakerOutcome, BreakerPolicy, BreakerRecordResult, BreakerView } from '../../breaker/types';
import { normalizeOutcome } from '../../breaker/outcome';
import { DEFAULT_KEY_PREFIX, entityKey, GLOBAL_NAMESPACE, validateKeySpace } from '../keys';
import type { BreakerStore, KeySpace } from '../types';
import { BREAKER_ACQUIRE_LUA } from './scripts/breaker-acquire.lua';
import { BREAKER_ADMIN_LUA } from './scripts/breaker-admin.lua';
import { BREAKER_RECORD_LUA } from './scripts/breaker-record.lua';
import { callRedis, defineScripts, type ScriptCommand } from './commands';

export interface RedisBreakerStoreOptions {
	prefix?: string;
	namespace?: string;
	/** An untouched breaker's keys expire after this long (default 24 h); open ones not before they half-open. */
	idleTtlMs?: number;
	/** Added to Redis TIME in every script: lets tests move time forward without sleeping. */
	timeOffsetMs?: () => number;
}

const SCRIPTS = { rsBreakerAcquire: BREAKER_ACQUIRE_LUA, rsBreakerRecord: BREAKER_RECORD_LUA, rsBreakerAdmin: BREAKER_ADMIN_LUA };
type BreakerCommands = Record<keyof typeof SCRIPTS, ScriptCommand<string>>;

/** Breakers shared by every process on one Redis; each intent is one Lua script timed by Redis. */
export class RedisBreakerStore implements BreakerStore {
	readonly kind = 'redis' as const;
	readonly keySpace: KeySpace;
	private readonly client: Redis & BreakerCommands;
	private readonly idleTtlMs: number;
	private readonly offset: () => number;

	constructor(client: Redis, o: RedisBreakerStoreOptions = {}) {
		this.client = defineScripts(client, 2, SCRIPTS) as Redis & BreakerCommands;
		this.keySpace = validateKeySpace({ prefix: o.prefix ?? DEFAULT_KEY_PREFIX, namespace: o.namespace ?? GLOBAL_NAMESPACE });
		this.idleTtlMs = o.idleTtlMs ?? 86_400_000;
		this.offset = o.timeOffsetMs ?? (() => 0);
	}

	/** The Redis keys of one breaker: its state and its event list. */
	keys(key: string): [string, string] {
		return [entityKey(this.keySpace, 'breaker', key), entityKey(this.keySpace, 'breaker', key, 'events')];
	}

	private async run<T>(cmd: keyof BreakerCommands, key: string, p: BreakerPolicy, ...extra: Array<string | number>): Promise<T> {
		const [k1, k2] = this.keys(key);
		const raw = await callRedis(this.client, () => this.client[cmd](k1, k2, key, JSON.stringify(p), Math.round(this.offset()), this.idleTtlMs, ...extra));
		return JSON.parse(raw) as T;
	}

	acquire(key: string, p: BreakerPolicy): Promise<BreakerAcquireResult> {
		return this.run('rsBreakerAcquire', key, p);
	}

	async record(key: string, o: BreakerOutcome, p: BreakerPolicy): Promise<BreakerRecordResult> {
		return this.run('rsBreakerRecord', key, p, JSON.stringify(normalizeOutcome(o)));
	}

	getState(key: string, p: BreakerPolicy): Promise<BreakerView> {
		return this.run('rsBreakerAdmin', key, p, 'state', '');
	}

	reset(key: string, p: BreakerPolicy): Promise<BreakerView> {
		return this.run('rsBreakerAdmin', key, p, 'reset', '');
	}

	forceOpen(key: string, p: BreakerPolicy, durationMs?: number): Promise<BreakerView> {
		return this.run('rsBreakerAdmin', key, p, 'force-open', durationMs === undefined ? '' : Math.round(durationMs));
	}

	/** SCANs this namespace (never KEYS), then reads each breaker's effective state. */
	async list(p: BreakerPolicy, limit = 1000): Promise<BreakerView[]> {
		const head = `${this.keySpace.prefix}:${this.keySpace.namespace}:breaker:{`;
		const names: string[] = [];
		await callRedis(this.client, async () => {
			let cursor = '0';
			do {
				const [next, keys] = await this.client.scan(cursor, 'MATCH', `${head.replace(/[*?[\]\\]/g, '\\$&')}*}`, 'COUNT', 500);
				cursor = next;
				for (const k of keys) if (names.length < limit) names.push(k.slice(head.length, -1));
			} while (cursor !== '0' && names.length < limit);
		});
		return Promise.all(names.map((n) => this.getState(n, p)));
	}

	async events(key: string, limit = 50): Promise<BreakerEvent[]> {
		const raw = await callRedis(this.client, () => this.client.lrange(this.keys(key)[1], 0, Math.max(0, limit - 1)));
		return raw.map((s) => JSON.parse(s) as BreakerEvent);
	}
}
