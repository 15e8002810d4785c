// Flows the generic player cannot drive (webhook senders, feeds across runs) are played by a dedicated integration test.
import type { Flow } from './flow-types';

/** The integration test that plays a flow the generic player cannot drive, or undefined when the player runs it. */
export function playedBy(flow: Flow): string | undefined {
	// A sender redelivering to our consumer, with client-side state and dead letters (B15, B16, B16-keeps-failing).
	if (flow.deliveries?.length) return 'test/integration/idempotency-webhook-flows.test.ts';
	// "Only new items" across runs: the ledger as the seen-items store, in memory and from a static-data snapshot (B21).
	if (flow.steps.some((s) => s.forEach || s.dedupeKey)) return 'test/integration/idempotency-feed-flows.test.ts';
	return undefined;
}
