import { idempotencyLedgerContract } from './idempotency-ledger.contract';
import { EmbeddedIdempotencyLedger } from '../../src/idempotency';
import { createEmbeddedCache } from '../../src/store';

idempotencyLedgerContract('embedded (fake clock)', async () => {
	let now = 1_790_000_000_000;
	const clock = { now: () => now };
	const cache = createEmbeddedCache(1000);
	const make = (namespace: string) => new EmbeddedIdempotencyLedger({ cache, clock, namespace });
	return { ledger: make('wf:contract'), inNamespace: make, advance: (ms) => (now += ms), teardown: async () => undefined };
});
