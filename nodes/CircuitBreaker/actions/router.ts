// Builds the store and policy once per execution, dispatches by operation, then saves embedded state.
import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { parseBreakerPolicy, type RawBreakerPolicy } from '../../shared/breakerPolicy';
import { buildBreakerStore, parseStoreSettings, type BuiltStore } from '../../shared/stores';
import * as check from './check.operation';
import { eachItem, errorMessage, type OpContext } from './common';
import * as forceOpen from './forceOpen.operation';
import * as getState from './getState.operation';
import * as recordFailure from './recordFailure.operation';
import * as recordResult from './recordResult.operation';
import * as recordSuccess from './recordSuccess.operation';
import * as reset from './reset.operation';

const OPERATIONS: Record<string, (ctx: IExecuteFunctions, o: OpContext) => Promise<INodeExecutionData[][]>> = {
	check: check.execute,
	recordSuccess: recordSuccess.execute,
	recordFailure: recordFailure.execute,
	recordResult: recordResult.execute,
	getState: getState.execute,
	reset: reset.execute,
	forceOpen: forceOpen.execute,
};

async function prepare(ctx: IExecuteFunctions): Promise<OpContext> {
	const settings = parseStoreSettings({
		backend: ctx.getNodeParameter('stateBackend', 0, 'embedded'),
		scope: ctx.getNodeParameter('stateScope', 0, 'workflow'),
		globalName: ctx.getNodeParameter('stateNamespace', 0, 'global'),
		onUnreachable: ctx.getNodeParameter('onStoreUnreachable', 0, 'fail'),
	});
	const policy = parseBreakerPolicy(ctx.getNodeParameter('breakerPolicy', 0, {}) as RawBreakerPolicy);
	return { built: await buildBreakerStore(ctx, settings), policy };
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0, 'check') as string;
	const run = OPERATIONS[operation];
	if (!run) throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	const outputs = operation === 'check' ? 2 : 1;
	if (this.getInputData().length === 0) return Array.from({ length: outputs }, () => []);

	let o: OpContext;
	try {
		o = await prepare(this);
	} catch (e) {
		// Without a store no item can be answered: each one fails (continue-on-fail) or the node stops.
		const message = errorMessage(e, undefined, 0);
		const node = this.getNode();
		return await eachItem(this, outputs, outputs - 1, undefined as BuiltStore | undefined, async (i) => {
			throw new NodeOperationError(node, message, { itemIndex: i });
		});
	}
	const result = await run(this, o);
	o.built.persist();
	const info = o.built.info();
	if (info.warning) this.addExecutionHints({ message: info.warning, type: 'warning', location: 'outputPane' });
	if (info.stateSaved === false) {
		this.addExecutionHints({
			message: 'Manual run: n8n does not save static data, so embedded breaker state from this run is kept only in memory until n8n restarts',
			type: 'info',
			location: 'outputPane',
		});
	}
	return result;
}
