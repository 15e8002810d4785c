// Dead letters in the workflow's static data: nothing to install, small and capped, saved with the workflow.
import type { Clock } from '../types';
import { validateDraft } from './builder';
import { DeadLetterCapacityError, queueFullError } from './errors';
import * as L from './logic';
import { sanitizeDraft, scrubText } from './redaction';
import type {
	ClaimDueOptions,
	DeadLetterDraft,
	DeadLetterEntry,
	DeadLetterFilter,
	DeadLetterStats,
	DeadLetterStore,
	DeadLetterTarget,
	ListOptions,
	ListResult,
	SettleOptions,
	SettleResult,
	WriteOptions,
	WriteResult,
} from './types';

/** Static data lives inside the workflow record: at most 200 entries of 16 KB (≈3 MB), 100 per queue. */
export const STATIC_DATA_LIMITS = { maxEntries: 200, maxPerQueue: 100, maxEntryBytes: 16 * 1024 } as const;
export const STATIC_DATA_KEY = 'deadLetters';

/** A detached copy: n8n's static data is a proxy, which structuredClone cannot copy. */
const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** The plain JSON kept under `staticData.deadLetters`. */
export interface DeadLetterSnapshot {
	version: 1;
	entries: Record<string, DeadLetterEntry>;
}

export interface StaticDataStoreOptions {
	/** The object to keep entries in (n8n: `getWorkflowStaticData('global')`); mutated in place. */
	data: Record<string, unknown>;
	key?: string;
	clock?: Clock;
	maxEntries?: number;
	maxPerQueue?: number;
	maxEntryBytes?: number;
}

/**
 * Every method runs synchronously on one object, so each intent is atomic within the process. n8n saves static
 * data only at the end of a non-manual execution: entries written in a manual run are not kept.
 */
export class StaticDataDeadLetterStore implements DeadLetterStore {
	readonly kind = 'static-data' as const;
	readonly limits: { maxEntries: number; maxPerQueue: number; maxEntryBytes: number };
	private readonly clock: Clock;
	private readonly key: string;

	constructor(private readonly o: StaticDataStoreOptions) {
		this.clock = o.clock ?? { now: () => Date.now() };
		this.key = o.key ?? STATIC_DATA_KEY;
		const maxEntries = o.maxEntries ?? STATIC_DATA_LIMITS.maxEntries;
		this.limits = { maxEntries, maxPerQueue: Math.min(o.maxPerQueue ?? STATIC_DATA_LIMITS.maxPerQueue, maxEntries), maxEntryBytes: o.maxEntryBytes ?? STATIC_DATA_LIMITS.maxEntryBytes };
	}

	private state(): DeadLetterSnapshot {
		const s = this.o.data[this.key] as DeadLetterSnapshot | undefined;
		if (s && s.version === 1 && s.entries && typeof s.entries === 'object') return s;
		const fresh: DeadLetterSnapshot = { version: 1, entries: {} };
		this.o.data[this.key] = fresh;
		return fresh;
	}

	/** Assigning the top-level key again marks n8n's static data as changed so it is saved. */
	private save(s: DeadLetterSnapshot): void {
		this.o.data[this.key] = { version: 1, entries: s.entries };
	}

	private all(): DeadLetterEntry[] {
		return Object.values(this.state().entries).sort(L.compareEntries);
	}

	/** Oldest attempts go first when an entry outgrows the per-entry cap; an entry too big even then is refused. */
	private fit(e: DeadLetterEntry): DeadLetterEntry {
		const size = (x: DeadLetterEntry) => Buffer.byteLength(JSON.stringify(x), 'utf8');
		const out = { ...e, attempts: [...e.attempts] };
		while (size(out) > this.limits.maxEntryBytes && out.attempts.length > 1) out.attempts.shift();
		const bytes = size(out);
		if (bytes > this.limits.maxEntryBytes) {
			throw new DeadLetterCapacityError('Static data', e.queue, this.limits.maxEntryBytes,
				`Dead-letter entry is ${bytes} bytes; workflow static data keeps at most ${this.limits.maxEntryBytes} bytes per entry. ` +
					'Use the Redis or PostgreSQL backend for large items; this entry was NOT stored.');
		}
		return out;
	}

	/** Closed entries (resolved, discarded) make room, oldest first; open ones never do. */
	private makeRoom(s: DeadLetterSnapshot, queue: string): void {
		const inQueue = (e: DeadLetterEntry) => e.queue === queue;
		const closed = (e: DeadLetterEntry) => e.status === 'resolved' || e.status === 'discarded';
		const entries = () => Object.values(s.entries).sort(L.compareEntries);
		while (entries().filter(inQueue).length >= this.limits.maxPerQueue) {
			const victim = entries().find((e) => inQueue(e) && closed(e));
			if (!victim) throw queueFullError('Workflow static data', queue, this.limits.maxPerQueue);
			delete s.entries[victim.id];
		}
		while (entries().length >= this.limits.maxEntries) {
			const victim = entries().find(closed);
			if (!victim) {
				throw new DeadLetterCapacityError('Static data', queue, this.limits.maxEntries,
					`Workflow static data holds ${this.limits.maxEntries} open dead letters (its limit across queues); resolve or discard some, ` +
						'or use Redis or PostgreSQL. This entry was NOT stored.');
			}
			delete s.entries[victim.id];
		}
	}

	async write(draft: DeadLetterDraft, o: WriteOptions = {}): Promise<WriteResult> {
		validateDraft(draft);
		const d = sanitizeDraft(draft);
		const now = this.clock.now();
		const s = this.state();
		const old = o.replayOf ? s.entries[o.replayOf] : undefined;
		if (old) {
			const entry = this.fit(L.mergeReplayFailure(old, d, now));
			s.entries[entry.id] = entry;
			this.save(s);
			return { id: entry.id, created: false, entry: plain(entry) };
		}
		const entry = this.fit(L.newEntry(o.replayOf ?? L.newEntryId(now), d, now));
		this.makeRoom(s, entry.queue);
		s.entries[entry.id] = entry;
		this.save(s);
		return { id: entry.id, created: true, entry: plain(entry) };
	}

	async list(o: ListOptions = {}): Promise<ListResult> {
		const limit = L.validateLimit(o.limit, L.DEFAULT_PAGE, L.MAX_PAGE, 'Page size');
		const cursor = L.decodeCursor(o.cursor);
		L.validateStatuses(o.status);
		if (o.queue !== undefined) L.validateQueue(o.queue);
		const now = this.clock.now();
		const hits = this.all().filter((e) => L.afterCursor(e, cursor) && L.matches(e, o, now));
		const page = hits.slice(0, limit);
		const last = page[page.length - 1];
		return { entries: plain(page), ...(hits.length > limit && last ? { nextCursor: L.encodeCursor(L.ms(last.createdAt) ?? 0, last.id) } : {}) };
	}

	async get(id: string): Promise<DeadLetterEntry | undefined> {
		const e = this.state().entries[id];
		return e ? plain(e) : undefined;
	}

	async claimDue(o: ClaimDueOptions): Promise<DeadLetterEntry[]> {
		const limit = L.validateLimit(o.limit, 1, L.MAX_CLAIM, 'Replay limit');
		if (o.queue !== undefined) L.validateQueue(o.queue);
		const reclaim = L.validateReclaim(o.reclaimAfterMs);
		const classes = L.validateClasses(o.classes);
		const now = this.clock.now();
		const s = this.state();
		const due = this.all().filter((e) => (o.queue === undefined || e.queue === o.queue) && L.classWanted(e, classes) && L.isDue(e, now, reclaim)).slice(0, limit);
		for (const e of due) Object.assign(s.entries[e.id], { status: 'requeued', replayCount: e.replayCount + 1, updatedAt: L.iso(now) });
		if (due.length) this.save(s);
		return due.map((e) => plain(s.entries[e.id]));
	}

	resolve(t: DeadLetterTarget, o?: SettleOptions): Promise<SettleResult> {
		return this.settle('resolved', t, o);
	}

	discard(t: DeadLetterTarget, o?: SettleOptions): Promise<SettleResult> {
		return this.settle('discarded', t, o);
	}

	private async settle(to: 'resolved' | 'discarded', t: DeadLetterTarget, o: SettleOptions = {}): Promise<SettleResult> {
		const now = this.clock.now();
		const s = this.state();
		const ids = L.targetIds(t);
		const open = (e: DeadLetterEntry | undefined): e is DeadLetterEntry => !!e && (e.status === 'new' || e.status === 'requeued');
		const chosen = ids
			? [...new Set(ids)].map((id) => s.entries[id]).filter(open)
			: this.all().filter((e) => open(e) && L.matches(e, t as DeadLetterFilter, now)).slice(0, L.validateLimit((t as { limit?: number }).limit, L.DEFAULT_SETTLE_LIMIT, 100_000, 'Limit'));
		for (const e of chosen) {
			Object.assign(e, { status: to, updatedAt: L.iso(now) });
			if (o.note !== undefined) e.note = scrubText(String(o.note));
		}
		if (chosen.length) this.save(s);
		return { changed: chosen.map((e) => e.id) };
	}

	/** Deletes entries by id (moving them elsewhere, e.g. draining a fallback); returns the ids removed. */
	async remove(ids: string[]): Promise<string[]> {
		const s = this.state();
		const gone = [...new Set(ids)].filter((id) => id in s.entries);
		for (const id of gone) delete s.entries[id];
		if (gone.length) this.save(s);
		return gone;
	}

	async stats(queue?: string): Promise<DeadLetterStats> {
		return L.statsOf(Object.values(this.state().entries), this.clock.now(), queue);
	}
}
