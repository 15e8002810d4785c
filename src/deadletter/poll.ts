// "New dead letters since the last poll" for the Dead Letter Trigger, robust to entries that commit late.
import type { DeadLetterEntry, DeadLetterStore } from './types';

/** Kept between polls (e.g. in the trigger's static data): ids already announced, with their creation time. */
export interface PollState {
	seen: Record<string, number>;
}

export interface PollOptions {
	queue?: string;
	/** How far back each poll looks; an entry committed later than its creation time by less than this is still found. */
	lookbackMs?: number;
	/** At most this many entries per poll; the rest are announced by the next polls. */
	limit?: number;
	/** On the first poll (no state), announce entries already there instead of starting from now. */
	emitExisting?: boolean;
}

export const DEFAULT_POLL_LOOKBACK_MS = 15 * 60_000;

/**
 * Lists the window [now - lookback, now] oldest first and returns the entries not announced before; ids older than
 * the window are forgotten so the state stays small.
 */
export async function pollNewEntries(
	store: DeadLetterStore,
	state: PollState | undefined,
	o: PollOptions = {},
): Promise<{ entries: DeadLetterEntry[]; state: PollState; more: boolean }> {
	const lookback = o.lookbackMs ?? DEFAULT_POLL_LOOKBACK_MS;
	const limit = o.limit ?? 100;
	const first = !state;
	const seen: Record<string, number> = { ...(state?.seen ?? {}) };
	const fresh: DeadLetterEntry[] = [];
	let more = false;
	let cursor: string | undefined;
	let newest = 0;
	do {
		const page = await store.list({ queue: o.queue, maxAgeMs: lookback, limit: 500, cursor });
		for (const e of page.entries) {
			const at = Date.parse(e.createdAt);
			newest = Math.max(newest, at);
			if (e.id in seen) continue;
			if (first && !o.emitExisting) {
				seen[e.id] = at;
				continue;
			}
			if (fresh.length >= limit) {
				more = true;
				continue;
			}
			fresh.push(e);
			seen[e.id] = at;
		}
		cursor = page.nextCursor;
	} while (cursor);
	// forget ids that left the window (relative to the newest entry seen, so a quiet queue keeps its memory)
	const horizon = (newest || Math.max(0, ...Object.values(seen))) - lookback * 2;
	for (const [id, at] of Object.entries(seen)) if (at < horizon) delete seen[id];
	return { entries: fresh, state: { seen }, more };
}
