import { LRUCache } from 'lru-cache';

/** Entries kept per process across all embedded concerns; the oldest idle entry goes first. */
export const DEFAULT_EMBEDDED_MAX_ENTRIES = 10_000;

export type EmbeddedCache = LRUCache<string, object>;

let shared: EmbeddedCache | undefined;

export function createEmbeddedCache(max = DEFAULT_EMBEDDED_MAX_ENTRIES): EmbeddedCache {
	return new LRUCache<string, object>({ max });
}

/** The one cache of this n8n process, so every execution of a workflow sees the same breakers. */
export function processEmbeddedCache(): EmbeddedCache {
	shared ??= createEmbeddedCache();
	return shared;
}
