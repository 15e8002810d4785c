// Dead letters in Redis: durable hashes, lists and sorted sets, one Lua script per intent, time from Redis TIME.
import type Redis from 'ioredis';
import { callRedis, defineScripts, type ScriptCommand } from '../store/redis/commands';
import { DEFAULT_KEY_PREFIX, entityKey, GLOBAL_NAMESPACE, validateKeySpace } from '../store/keys';
import type { KeySpace } from '../store/types';
import { validateDraft } from './builder';
import { queueFullError } from './errors';
import * as L from './logic';
import { MAX_ATTEMPTS_KEPT, sanitizeDraft, scrubText } from './redaction';
import { DLQ_CLAIM_LUA } from './scripts/dlq-claim.lua';
import { DLQ_GET_LUA, DLQ_LIST_LUA, DLQ_STATS_LUA } from './scripts/dlq-read.lua';
import { DLQ_SETTLE_LUA } from './scripts/dlq-settle.lua';
import { DLQ_WRITE_LUA } from './scripts/dlq-write.lua';
import { OPEN_STATUSES } from './types';
import type {
	ClaimDueOptions,
	DeadLetterDraft,
	DeadLetterEntry,
	DeadLetterFilter,
	DeadLetterStats,
	DeadLetterStatus,
	DeadLetterStore,
	DeadLetterTarget,
	ListOptions,
	ListResult,
	SettleOptions,
	SettleResult,
	WriteOptions,
	WriteResult,
} from './types';

/** Trimming policy: at most this many entries per queue; closed ones are trimmed first, a queue full of open ones refuses writes. */
export const REDIS_DEFAULT_MAX_PER_QUEUE = 10_000;

export interface RedisDeadLetterStoreOptions {
	prefix?: string;
	/** Dead letters are shared across workflows (a replay workflow reads what others wrote): "global" by default. */
	namespace?: string;
	/** 0 = unlimited (not recommended: Redis memory is the limit then). */
	maxPerQueue?: number;
	/** Added to Redis TIME in every script: lets tests move time forward without sleeping. */
	timeOffsetMs?: () => number;
}

const COMMANDS = {
	rsDlqWrite: DLQ_WRITE_LUA,
	rsDlqClaim: DLQ_CLAIM_LUA,
	rsDlqList: DLQ_LIST_LUA,
	rsDlqGet: DLQ_GET_LUA,
	rsDlqStats: DLQ_STATS_LUA,
	rsDlqSettle: DLQ_SETTLE_LUA,
};
type DlqCommands = Record<keyof typeof COMMANDS, ScriptCommand>;

type Row = [string, string, DeadLetterStatus, string, string, string, string, string, string, string, string, string, string, string[]];

function fromRow(r: Row): DeadLetterEntry {
	const [id, queue, status, , created, updated, , replays, acount, first, note, origin, latest, attempts] = r;
	const e = { ...JSON.parse(origin), ...JSON.parse(latest) } as DeadLetterEntry;
	Object.assign(e, { id, queue, status, replayCount: Number(replays), attemptCount: Number(acount), createdAt: L.iso(Number(created)), updatedAt: L.iso(Number(updated)) });
	e.attempts = attempts.map((a) => JSON.parse(a));
	if (first) e.firstAttemptAt = first;
	if (note) e.note = note;
	return e;
}

/** The index a query walks: the narrowest zset its filter allows (further conditions are checked per entry). */
function indexFor(queue: string | undefined, statuses: DeadLetterStatus[] | undefined): string {
	const one = statuses?.length === 1 ? statuses[0] : undefined;
	if (queue !== undefined && one) return `qs:${queue}:${one}`;
	if (one) return `s:${one}`;
	return queue !== undefined ? `q:${queue}` : 'all';
}

function filterArgs(f: DeadLetterFilter, statuses: DeadLetterStatus[] | undefined): Array<string | number> {
	if (f.queue !== undefined) L.validateQueue(f.queue);
	return [indexFor(f.queue, statuses), f.queue ?? '', (statuses ?? []).join(','), f.class ?? '', f.minAgeMs ?? -1, f.maxAgeMs ?? -1];
}

export class RedisDeadLetterStore implements DeadLetterStore {
	readonly kind = 'redis' as const;
	readonly keySpace: KeySpace;
	readonly maxPerQueue: number;
	private readonly client: Redis & DlqCommands;
	private readonly offset: () => number;

	constructor(client: Redis, o: RedisDeadLetterStoreOptions = {}) {
		this.client = defineScripts(client, 1, COMMANDS);
		this.keySpace = validateKeySpace({ prefix: o.prefix ?? DEFAULT_KEY_PREFIX, namespace: o.namespace ?? GLOBAL_NAMESPACE });
		this.maxPerQueue = o.maxPerQueue ?? REDIS_DEFAULT_MAX_PER_QUEUE;
		if (!Number.isInteger(this.maxPerQueue) || this.maxPerQueue < 0) throw new Error(`maxPerQueue must be a whole number ≥ 0, got ${String(o.maxPerQueue)}`);
		this.offset = o.timeOffsetMs ?? (() => 0);
	}

	/** `<prefix>:<namespace>:deadletter:{dlq}`: every key of this space starts with it and shares its hash tag. */
	baseKey(): string {
		return entityKey(this.keySpace, 'deadletter', 'dlq');
	}

	private async run<T>(cmd: keyof DlqCommands, ...argv: Array<string | number>): Promise<T> {
		return (await callRedis(this.client, () => this.client[cmd](this.baseKey(), ...argv))) as T;
	}

	private offsetArg(): number {
		return Math.round(this.offset());
	}

	async write(draft: DeadLetterDraft, o: WriteOptions = {}): Promise<WriteResult> {
		validateDraft(draft);
		const d = sanitizeDraft(draft);
		const retry = L.ms(d.retryAt) ?? 0;
		const r = await this.run<[string, Row | number]>(
			'rsDlqWrite',
			L.newEntryId(Date.now()),
			o.replayOf ?? '',
			d.queue,
			String(d.classification.class),
			retry,
			d.firstAttemptAt ?? '',
			JSON.stringify(L.pick(d, L.ORIGIN_FIELDS)),
			JSON.stringify(L.pick(d, L.LATEST_FIELDS)),
			this.maxPerQueue,
			MAX_ATTEMPTS_KEPT,
			this.offsetArg(),
			...d.attempts.map((a) => JSON.stringify(a)),
		);
		if (r[0] === 'full') throw queueFullError('Redis', d.queue, this.maxPerQueue);
		const entry = fromRow(r[1] as Row);
		return { id: entry.id, created: r[0] === 'created', entry };
	}

	async list(o: ListOptions = {}): Promise<ListResult> {
		const limit = L.validateLimit(o.limit, L.DEFAULT_PAGE, L.MAX_PAGE, 'Page size');
		const c = L.decodeCursor(o.cursor);
		const statuses = L.validateStatuses(o.status);
		const [, ...rows] = await this.run<[number, ...Row[]]>('rsDlqList', ...filterArgs(o, statuses), c?.at ?? -1, c?.id ?? '', limit, this.offsetArg());
		const entries = rows.slice(0, limit).map(fromRow);
		const last = entries[entries.length - 1];
		return { entries, ...(rows.length > limit && last ? { nextCursor: L.encodeCursor(L.ms(last.createdAt) ?? 0, last.id) } : {}) };
	}

	async get(id: string): Promise<DeadLetterEntry | undefined> {
		if (typeof id !== 'string' || id === '') return undefined;
		const r = await this.run<Row | null>('rsDlqGet', id);
		return r ? fromRow(r) : undefined;
	}

	async claimDue(o: ClaimDueOptions): Promise<DeadLetterEntry[]> {
		const limit = L.validateLimit(o.limit, 1, L.MAX_CLAIM, 'Replay limit');
		if (o.queue !== undefined) L.validateQueue(o.queue);
		const reclaim = L.validateReclaim(o.reclaimAfterMs) ?? -1;
		const classes = L.validateClasses(o.classes);
		const [, ...rows] = await this.run<[number, ...Row[]]>('rsDlqClaim', o.queue ?? '', limit, this.offsetArg(), reclaim, (classes ?? []).join(','));
		return rows.map(fromRow);
	}

	resolve(t: DeadLetterTarget, o?: SettleOptions): Promise<SettleResult> {
		return this.settle('resolved', t, o);
	}

	discard(t: DeadLetterTarget, o?: SettleOptions): Promise<SettleResult> {
		return this.settle('discarded', t, o);
	}

	private async settle(to: 'resolved' | 'discarded', t: DeadLetterTarget, o: SettleOptions = {}): Promise<SettleResult> {
		const head = [to, o.note === undefined ? '' : scrubText(String(o.note)), L.targetIds(t) ? 'ids' : 'filter', this.offsetArg()];
		const ids = L.targetIds(t);
		if (ids) return { changed: ids.length ? await this.run<string[]>('rsDlqSettle', ...head, ...ids.map(String)) : [] };
		const f = t as DeadLetterFilter & { limit?: number };
		const statuses = (L.validateStatuses(f.status) ?? [...OPEN_STATUSES]).filter((s) => OPEN_STATUSES.includes(s));
		if (!statuses.length) return { changed: [] };
		const limit = L.validateLimit(f.limit, L.DEFAULT_SETTLE_LIMIT, 100_000, 'Limit');
		return { changed: await this.run<string[]>('rsDlqSettle', ...head, ...filterArgs(f, statuses), limit) };
	}

	async stats(queue?: string): Promise<DeadLetterStats> {
		if (queue !== undefined) L.validateQueue(queue);
		const [now, ...rows] = await this.run<[number, ...Array<[string, DeadLetterStatus, number, string]>]>('rsDlqStats', queue ?? '', this.offsetArg());
		const byQueue = new Map<string, ReturnType<typeof L.emptyQueueStats>>();
		for (const [q, s, n, oldest] of rows) {
			let qs = byQueue.get(q);
			if (!qs) byQueue.set(q, (qs = L.emptyQueueStats(q)));
			const age = Math.max(0, now - Number(oldest));
			qs.byStatus[s] = { count: Number(n), oldestAgeMs: age };
			if (s === 'new' || s === 'requeued') {
				qs.depth += Number(n);
				qs.oldestOpenAgeMs = Math.max(qs.oldestOpenAgeMs ?? 0, age);
			}
		}
		return { now, queues: [...byQueue.values()].sort((a, b) => (a.queue < b.queue ? -1 : 1)) };
	}
}
