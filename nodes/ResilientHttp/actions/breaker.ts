// Resilient HTTP's breakers for one execution: one store and policy, one breaker per endpoint and credential.
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { endpointBreakerKey } from '../../../src/breaker';
import type { RequestFacts } from '../../../src/types';
import { itemBreaker, type ItemBreaker, type ProbeWait } from '../../shared/breakerGate';
import { parseBreakerPolicy, type RawBreakerPolicy } from '../../shared/breakerPolicy';
import { buildBreakerStore, parseStoreSettings } from '../../shared/stores';

export interface Breakers {
	forItem(i: number, facts: RequestFacts, probeWait?: ProbeWait): ItemBreaker;
	/** The Failed item's `resilience.breaker`. */
	reportFor(i: number): IDataObject;
	/** Success items say so only when Redis was skipped (fallback): the response body stays as the API sent it. */
	markSuccess(item: INodeExecutionData): INodeExecutionData;
	/** Saves embedded state and tells the user about a fallback. */
	close(): void;
}

export async function openBreakers(ctx: IExecuteFunctions, credentialId: string | undefined): Promise<Breakers> {
	const settings = parseStoreSettings({
		backend: ctx.getNodeParameter('stateBackend', 0, 'embedded'),
		scope: ctx.getNodeParameter('stateScope', 0, 'workflow'),
		globalName: ctx.getNodeParameter('stateNamespace', 0, 'global'),
		onUnreachable: ctx.getNodeParameter('onStoreUnreachable', 0, 'fail'),
	});
	const policy = parseBreakerPolicy(ctx.getNodeParameter('breakerPolicy', 0, {}) as RawBreakerPolicy);
	const built = await buildBreakerStore(ctx, settings);
	const gates = new Map<number, ItemBreaker>();
	return {
		forItem(i, facts, probeWait) {
			const key = endpointBreakerKey({ method: facts.method, url: facts.url, credentialId });
			const g = itemBreaker(built.store, key, policy, built.explain, probeWait);
			gates.set(i, g);
			return g;
		},
		reportFor: (i) => ({ ...(gates.get(i)?.summary() ?? {}), store: built.info() }),
		markSuccess(item) {
			const info = built.info();
			if (info.fellBack) item.json.resilienceStore = info;
			return item;
		},
		close() {
			built.persist();
			const info = built.info();
			if (info.warning) ctx.addExecutionHints({ message: info.warning, type: 'warning', location: 'outputPane' });
		},
	};
}
