import { breakerStoreContract } from './breaker-store.contract';
import { EmbeddedBreakerStore, createEmbeddedCache } from '../../src/store';

breakerStoreContract('embedded (fake clock)', async () => {
	let now = 1_790_000_000_000;
	const store = new EmbeddedBreakerStore({ cache: createEmbeddedCache(100), clock: { now: () => now }, namespace: 'wf:contract' });
	return { store, advance: (ms) => (now += ms), teardown: async () => undefined };
});
