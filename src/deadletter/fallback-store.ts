// "Keep it in static data and warn" when Redis or PostgreSQL is unreachable: a dead letter is never lost to an outage.
import { isStoreUnavailableError } from '../store/errors';
import * as L from './logic';
import type { StaticDataDeadLetterStore } from './static-data-store';
import type {
	ClaimDueOptions,
	DeadLetterDraft,
	DeadLetterEntry,
	DeadLetterStats,
	DeadLetterStore,
	DeadLetterStoreKind,
	DeadLetterTarget,
	ListOptions,
	ListResult,
	SettleOptions,
	SettleResult,
	WriteOptions,
	WriteResult,
} from './types';

export interface FallbackDeadLetterOptions {
	/** Called for every write the fallback took, so the node can warn and mark its output. */
	onFallback?: (error: unknown) => void;
}

/**
 * Writes go to the primary; when it is unreachable they go to workflow static data instead. Every other intent
 * asks the primary only (so list, replay and stats never mix two stores); `drain` moves parked entries over later.
 */
export class FallbackDeadLetterStore implements DeadLetterStore {
	readonly kind: DeadLetterStoreKind;
	lastKind: DeadLetterStoreKind;
	fallbackWrites = 0;

	constructor(
		readonly primary: DeadLetterStore,
		readonly fallback: StaticDataDeadLetterStore,
		private readonly o: FallbackDeadLetterOptions = {},
	) {
		this.kind = primary.kind;
		this.lastKind = primary.kind;
	}

	async write(draft: DeadLetterDraft, o?: WriteOptions): Promise<WriteResult> {
		try {
			const r = await this.primary.write(draft, o);
			this.lastKind = this.primary.kind;
			return r;
		} catch (e) {
			if (!isStoreUnavailableError(e)) throw e;
			this.o.onFallback?.(e);
			const r = await this.fallback.write(draft, o);
			this.fallbackWrites++;
			this.lastKind = this.fallback.kind;
			return r;
		}
	}

	/**
	 * Moves up to `limit` parked entries into the primary (oldest first), each as a write linked to its own id so a
	 * retried drain cannot create a second entry; returns the ids moved. Throws StoreUnavailableError while the primary is down.
	 */
	async drain(limit = 100): Promise<string[]> {
		const { entries } = await this.fallback.list({ limit: Math.min(limit, L.MAX_PAGE) });
		const moved: string[] = [];
		for (const e of entries) {
			await this.primary.write(toDraft(e), { replayOf: e.id });
			await this.fallback.remove([e.id]);
			moved.push(e.id);
		}
		return moved;
	}

	list(o?: ListOptions): Promise<ListResult> {
		return this.primary.list(o);
	}
	get(id: string): Promise<DeadLetterEntry | undefined> {
		return this.primary.get(id);
	}
	claimDue(o: ClaimDueOptions): Promise<DeadLetterEntry[]> {
		return this.primary.claimDue(o);
	}
	resolve(t: DeadLetterTarget, o?: SettleOptions): Promise<SettleResult> {
		return this.primary.resolve(t, o);
	}
	discard(t: DeadLetterTarget, o?: SettleOptions): Promise<SettleResult> {
		return this.primary.discard(t, o);
	}
	stats(queue?: string): Promise<DeadLetterStats> {
		return this.primary.stats(queue);
	}
}

const STORE_OWNED = ['id', 'status', 'replayCount', 'attemptCount', 'createdAt', 'updatedAt', 'note'];

function toDraft(e: DeadLetterEntry): DeadLetterDraft {
	const draft: Record<string, unknown> = { ...e };
	for (const k of STORE_OWNED) delete draft[k];
	return draft as unknown as DeadLetterDraft;
}
