import { LRUCache } from 'lru-cache';

/** Entries kept per process for each embedded concern; the oldest idle entry goes first. */
export const DEFAULT_EMBEDDED_MAX_ENTRIES = 10_000;

export type EmbeddedCache = LRUCache<string, object>;

const shared = new Map<string, EmbeddedCache>();

export function createEmbeddedCache(max = DEFAULT_EMBEDDED_MAX_ENTRIES): EmbeddedCache {
	return new LRUCache<string, object>({ max });
}

/**
 * The cache of this n8n process for one concern, so every execution of a workflow sees the same state.
 * One cache per concern: thousands of idempotency keys must not evict the breakers of the same process.
 */
export function processEmbeddedCache(concern = 'default', max = DEFAULT_EMBEDDED_MAX_ENTRIES): EmbeddedCache {
	let cache = shared.get(concern);
	if (!cache) shared.set(concern, (cache = createEmbeddedCache(max)));
	return cache;
}
