import type Redis from 'ioredis';
import type { BreakerAcquireResult, BreakerEvent, BreakerOutcome, BreakerPolicy, BreakerRecordResult, BreakerView } from '../../breaker/types';
import { normalizeOutcome } from '../../breaker/outcome';
import { StoreUnavailableError, toRedisStoreError } from '../errors';
import { DEFAULT_KEY_PREFIX, entityKey, GLOBAL_NAMESPACE, validateKeySpace } from '../keys';
import type { BreakerStore, KeySpace } from '../types';
import { BREAKER_ACQUIRE_LUA } from './scripts/breaker-acquire.lua';
import { BREAKER_ADMIN_LUA } from './scripts/breaker-admin.lua';
import { BREAKER_RECORD_LUA } from './scripts/breaker-record.lua';

export interface RedisBreakerStoreOptions {
	prefix?: string;
	namespace?: string;
	/** An untouched breaker's keys expire after this long (default 24 h); open ones not before they half-open. */
	idleTtlMs?: number;
	/** Added to Redis TIME in every script: lets tests move time forward without sleeping. */
	timeOffsetMs?: () => number;
}

type Cmd = (k1: string, k2: string, ...argv: Array<string | number>) => Promise<string>;
interface BreakerCommands {
	rsBreakerAcquire: Cmd;
	rsBreakerRecord: Cmd;
	rsBreakerAdmin: Cmd;
}

/** EVALSHA with EVAL fallback: ioredis re-sends the script body on NOSCRIPT (after SCRIPT FLUSH or a restart). */
function withCommands(client: Redis): Redis & BreakerCommands {
	const c = client as Redis & Partial<BreakerCommands>;
	if (!c.rsBreakerAcquire) {
		client.defineCommand('rsBreakerAcquire', { numberOfKeys: 2, lua: BREAKER_ACQUIRE_LUA });
		client.defineCommand('rsBreakerRecord', { numberOfKeys: 2, lua: BREAKER_RECORD_LUA });
		client.defineCommand('rsBreakerAdmin', { numberOfKeys: 2, lua: BREAKER_ADMIN_LUA });
	}
	return c as Redis & BreakerCommands;
}

/** Breakers shared by every process on one Redis; each intent is one Lua script timed by Redis. */
export class RedisBreakerStore implements BreakerStore {
	readonly kind = 'redis' as const;
	readonly keySpace: KeySpace;
	private readonly client: Redis & BreakerCommands;
	private readonly idleTtlMs: number;
	private readonly offset: () => number;

	constructor(client: Redis, o: RedisBreakerStoreOptions = {}) {
		this.client = withCommands(client);
		this.keySpace = validateKeySpace({ prefix: o.prefix ?? DEFAULT_KEY_PREFIX, namespace: o.namespace ?? GLOBAL_NAMESPACE });
		this.idleTtlMs = o.idleTtlMs ?? 86_400_000;
		this.offset = o.timeOffsetMs ?? (() => 0);
	}

	/** The Redis keys of one breaker: its state and its event list. */
	keys(key: string): [string, string] {
		return [entityKey(this.keySpace, 'breaker', key), entityKey(this.keySpace, 'breaker', key, 'events')];
	}

	/** While ioredis waits to reconnect, answer "unavailable" at once instead of queueing the call. */
	private assertConnectable(): void {
		const st = this.client.status;
		if (st === 'end' || st === 'close') throw new StoreUnavailableError('Redis', 'the connection was closed');
		if (st === 'reconnecting') throw new StoreUnavailableError('Redis', 'the connection was lost; reconnecting');
	}

	private async run<T>(cmd: keyof BreakerCommands, key: string, p: BreakerPolicy, ...extra: Array<string | number>): Promise<T> {
		this.assertConnectable();
		const [k1, k2] = this.keys(key);
		try {
			const raw = await this.client[cmd](k1, k2, key, JSON.stringify(p), Math.round(this.offset()), this.idleTtlMs, ...extra);
			return JSON.parse(raw) as T;
		} catch (e) {
			throw toRedisStoreError(e);
		}
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
		this.assertConnectable();
		const head = `${this.keySpace.prefix}:${this.keySpace.namespace}:breaker:{`;
		const names: string[] = [];
		try {
			let cursor = '0';
			do {
				const [next, keys] = await this.client.scan(cursor, 'MATCH', `${head.replace(/[*?[\]\\]/g, '\\$&')}*}`, 'COUNT', 500);
				cursor = next;
				for (const k of keys) if (names.length < limit) names.push(k.slice(head.length, -1));
			} while (cursor !== '0' && names.length < limit);
		} catch (e) {
			throw toRedisStoreError(e);
		}
		return Promise.all(names.map((n) => this.getState(n, p)));
	}

	async events(key: string, limit = 50): Promise<BreakerEvent[]> {
		this.assertConnectable();
		try {
			const raw = await this.client.lrange(this.keys(key)[1], 0, Math.max(0, limit - 1));
			return raw.map((s) => JSON.parse(s) as BreakerEvent);
		} catch (e) {
			throw toRedisStoreError(e);
		}
	}
}
