import { normalizeOutcome } from '../../breaker/outcome';
import * as t from '../../breaker/transitions';
import type { BreakerAcquireResult, BreakerEvent, BreakerOutcome, BreakerPolicy, BreakerRecord, BreakerRecordResult, BreakerView } from '../../breaker/types';
import type { Clock } from '../../types';
import type { BreakerStore } from '../types';
import { GLOBAL_NAMESPACE } from '../keys';
import { processEmbeddedCache, type EmbeddedCache } from './cache';

interface Entry {
	record: BreakerRecord;
	events: BreakerEvent[];
}

/** Plain data for workflow static data: `{ version: 1, breakers: { [key]: { record, events } } }`. */
export interface BreakerSnapshot {
	version: 1;
	breakers: Record<string, Entry>;
}

export interface EmbeddedBreakerStoreOptions {
	namespace?: string;
	clock?: Clock;
	/** Defaults to the process-wide cache. */
	cache?: EmbeddedCache;
	/** A snapshot (from `toJSON`/`snapshot`, e.g. kept in workflow static data) to start from. */
	initialState?: BreakerSnapshot | null;
}

/** Breakers in this process's memory; every method runs synchronously, so each intent is atomic. */
export class EmbeddedBreakerStore implements BreakerStore {
	readonly kind = 'embedded' as const;
	private readonly cache: EmbeddedCache;
	private readonly clock: Clock;
	private readonly prefix: string;

	constructor(o: EmbeddedBreakerStoreOptions = {}) {
		this.cache = o.cache ?? processEmbeddedCache('breaker');
		this.clock = o.clock ?? { now: () => Date.now() };
		this.prefix = `breaker\u0000${o.namespace ?? GLOBAL_NAMESPACE}\u0000`;
		if (o.initialState) this.restore(o.initialState);
	}

	private entry(key: string, now: number): Entry {
		const found = this.cache.get(this.prefix + key) as Entry | undefined;
		return found ?? { record: t.freshRecord(now), events: [] };
	}

	private save(key: string, e: Entry, events: BreakerEvent[], p: BreakerPolicy): void {
		if (events.length > 0) e.events = [...events.reverse(), ...e.events].slice(0, p.eventsCap);
		this.cache.set(this.prefix + key, e);
	}

	async acquire(key: string, p: BreakerPolicy): Promise<BreakerAcquireResult> {
		const now = this.clock.now();
		const e = this.entry(key, now);
		const events: BreakerEvent[] = [];
		const d = t.acquire(e.record, p, now, events);
		if (events.length > 0 || d.allowed && d.probe) this.save(key, e, events, p);
		return { ...d, view: t.viewOf(key, e.record, p, now) };
	}

	async record(key: string, o: BreakerOutcome, p: BreakerPolicy): Promise<BreakerRecordResult> {
		const now = this.clock.now();
		const e = this.entry(key, now);
		const events: BreakerEvent[] = [];
		const counted = t.record(e.record, normalizeOutcome(o), p, now, events);
		const transition = events[events.length - 1];
		this.save(key, e, events, p);
		return transition ? { counted, transition, view: t.viewOf(key, e.record, p, now) } : { counted, view: t.viewOf(key, e.record, p, now) };
	}

	async getState(key: string, p: BreakerPolicy): Promise<BreakerView> {
		const now = this.clock.now();
		return t.viewOf(key, this.entry(key, now).record, p, now);
	}

	async reset(key: string, p: BreakerPolicy): Promise<BreakerView> {
		const now = this.clock.now();
		const e = this.entry(key, now);
		const events: BreakerEvent[] = [];
		t.advance(e.record, now, events);
		const from = e.record.state;
		if (from !== 'closed') events.push({ at: now, from, to: 'closed', reason: 'manual reset' });
		// Lease ids keep counting across a reset, so a late probe from before it cannot answer for a new one.
		this.save(key, { record: { ...t.freshRecord(now), seq: e.record.seq }, events: e.events }, events, p);
		return this.getState(key, p);
	}

	async forceOpen(key: string, p: BreakerPolicy, durationMs?: number): Promise<BreakerView> {
		const now = this.clock.now();
		const e = this.entry(key, now);
		const events: BreakerEvent[] = [];
		t.forceOpen(e.record, now, durationMs, events);
		this.save(key, e, events, p);
		return t.viewOf(key, e.record, p, now);
	}

	async list(p: BreakerPolicy, limit = 1000): Promise<BreakerView[]> {
		const now = this.clock.now();
		const out: BreakerView[] = [];
		for (const [k, v] of this.cache.entries()) {
			if (out.length >= limit) break;
			if (k.startsWith(this.prefix)) out.push(t.viewOf(k.slice(this.prefix.length), (v as Entry).record, p, now));
		}
		return out;
	}

	async events(key: string, limit = 50): Promise<BreakerEvent[]> {
		const e = this.cache.get(this.prefix + key) as Entry | undefined;
		return (e?.events ?? []).slice(0, limit);
	}

	/** This namespace's breakers as plain JSON, for the workflow's static data. */
	snapshot(): BreakerSnapshot {
		const breakers: Record<string, Entry> = {};
		for (const [k, v] of this.cache.entries()) {
			if (k.startsWith(this.prefix)) breakers[k.slice(this.prefix.length)] = structuredClone(v as Entry);
		}
		return { version: 1, breakers };
	}

	toJSON(): BreakerSnapshot {
		return this.snapshot();
	}

	/** Loads a snapshot; an entry already in memory wins when it is at least as recent. */
	restore(s: BreakerSnapshot | undefined | null): number {
		if (!s || s.version !== 1 || typeof s.breakers !== 'object') return 0;
		let loaded = 0;
		for (const [key, entry] of Object.entries(s.breakers)) {
			const mine = this.cache.get(this.prefix + key) as Entry | undefined;
			if (!isEntry(entry) || (mine && mine.record.updatedAt >= entry.record.updatedAt)) continue;
			this.cache.set(this.prefix + key, structuredClone(entry));
			loaded++;
		}
		return loaded;
	}
}

function isEntry(e: unknown): e is Entry {
	const r = (e as Entry | undefined)?.record;
	return !!r && typeof r.state === 'string' && Array.isArray(r.calls) && Array.isArray(r.buckets) && Array.isArray((e as Entry).events);
}
