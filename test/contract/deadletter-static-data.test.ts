import { deadLetterStoreContract } from './deadletter-store.contract';
import { StaticDataDeadLetterStore } from '../../src/deadletter';

deadLetterStoreContract('workflow static data (fake clock)', async (o = {}) => {
	let now = Date.UTC(2026, 11, 3, 3, 0, 0);
	const data: Record<string, unknown> = {};
	const store = new StaticDataDeadLetterStore({ data, clock: { now: () => now }, maxPerQueue: o.maxPerQueue });
	return { store, advance: (ms) => (now += ms), raw: async () => JSON.stringify(data), teardown: async () => undefined };
});
