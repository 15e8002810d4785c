// The item loop every operation shares: per-item key, errors mapped to n8n's, continue-on-fail, pairedItem on all.
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { BreakerPolicy } from '../../../src/breaker';
import { isStoreUnavailableError } from '../../../src/store';
import { breakerKeyFrom, type KeyMode } from '../../shared/breakerItem';
import { isConfigError } from '../../shared/configError';
import { asConfigError, configMessage, continuedItem, itemFailure, messageOf } from '../../shared/errors';
import type { BuiltStore } from '../../shared/stores';
import { withInputFacts } from '../../shared/inputSecrets';

export interface OpContext {
	built: BuiltStore;
	policy: BreakerPolicy;
}

/** One item's answer: which output it goes to and what its `circuitBreaker` key says. */
export interface ItemAnswer {
	output: number;
	breaker: IDataObject;
}

export function keyForItem(ctx: IExecuteFunctions, i: number): string {
	try {
		const mode = ctx.getNodeParameter('breakerKeyMode', i, 'custom') as KeyMode;
		if (mode === 'custom') return breakerKeyFrom({ mode, custom: ctx.getNodeParameter('breakerKey', i, '') as string });
		return breakerKeyFrom({
			mode,
			method: ctx.getNodeParameter('method', i, 'GET') as string,
			url: ctx.getNodeParameter('url', i, '') as string,
			account: ctx.getNodeParameter('account', i, '') as string,
		});
	} catch (e) {
		throw asConfigError(e, 'breakerKey');
	}
}

/** The input json plus `circuitBreaker`; a top-level `error` moves inside (masked), so n8n does not read the item as failed. */
export function withBreaker(input: IDataObject, breaker: IDataObject): IDataObject {
	return withInputFacts(input, 'circuitBreaker', breaker);
}

export function errorMessage(e: unknown, built: BuiltStore | undefined, i: number): string {
	if (isConfigError(e)) return configMessage(e, i);
	if (isStoreUnavailableError(e) && built) return built.explain(e);
	return messageOf(e);
}

/**
 * Runs `answer` for every item in order. A failure stops the node (NodeOperationError with the item index) unless
 * continue-on-fail is on; then the item goes to `errorOutput` with json.error, so no item disappears.
 */
export async function eachItem(
	ctx: IExecuteFunctions,
	outputs: number,
	errorOutput: number,
	built: BuiltStore | undefined,
	answer: (i: number, input: IDataObject) => Promise<ItemAnswer>,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const out: INodeExecutionData[][] = Array.from({ length: outputs }, () => []);
	for (let i = 0; i < items.length; i++) {
		const input = (items[i].json ?? {}) as IDataObject;
		try {
			const a = await answer(i, input);
			out[a.output].push({ json: withBreaker(input, { ...a.breaker, store: built?.info() }), pairedItem: { item: i } });
		} catch (e) {
			const message = errorMessage(e, built, i);
			const failure = itemFailure(ctx.getNode(), e, message, i, 'Circuit Breaker');
			if (!ctx.continueOnFail()) throw failure;
			const json = withBreaker(input, { store: built?.info() });
			out[errorOutput].push(continuedItem(ctx.getNode(), json, message, i));
		}
	}
	return out;
}
