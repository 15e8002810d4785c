import { limiterStoreContract } from './limiter-store.contract';
import { EmbeddedLimiterStore } from '../../src/ratelimit';
import { createEmbeddedCache } from '../../src/store';

limiterStoreContract('embedded (fake clock)', async () => {
	let now = 1_790_000_000_000;
	const store = new EmbeddedLimiterStore({ cache: createEmbeddedCache(100), clock: { now: () => now }, namespace: 'wf:contract' });
	return { store, advance: (ms) => (now += ms), teardown: async () => undefined };
});
