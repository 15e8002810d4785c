// Builds the store once per execution, dispatches by operation, and moves parked entries back when the store answers.
import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { buildDeadLetterStore, parseDeadLetterSettings, type BuiltDeadLetters } from '../../shared/deadLetterStore';
import { eachItem, errorMessage, type OpContext } from './common';
import * as discard from './discard.operation';
import * as get from './get.operation';
import * as list from './list.operation';
import * as replay from './replay.operation';
import * as resolve from './resolve.operation';
import * as stats from './stats.operation';
import * as write from './write.operation';

const OPERATIONS: Record<string, (ctx: IExecuteFunctions, o: OpContext) => Promise<INodeExecutionData[][]>> = {
	write: write.execute,
	list: list.execute,
	get: get.execute,
	replay: replay.execute,
	resolve: resolve.execute,
	discard: discard.execute,
	stats: stats.execute,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0, 'write') as string;
	const run = OPERATIONS[operation];
	if (!run) throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	if (this.getInputData().length === 0) return [[]];

	let built: BuiltDeadLetters;
	try {
		const settings = parseDeadLetterSettings({
			backend: this.getNodeParameter('backend', 0, 'staticData'),
			onUnreachable: this.getNodeParameter('onStoreUnreachable', 0, 'fail'),
		});
		built = await buildDeadLetterStore(this, settings);
	} catch (e) {
		// Without a store no item can be answered: each one fails (continue-on-fail) or the node stops.
		const message = errorMessage(e, undefined, 0);
		const node = this.getNode();
		return await eachItem(this, undefined, async (i) => {
			throw new NodeOperationError(node, message, { itemIndex: i });
		});
	}
	const drained = await built.drain();
	const result = await run(this, { built });
	const info = built.info();
	for (const message of [info.warning, drained].filter((m): m is string => !!m)) this.addExecutionHints({ message, type: 'warning', location: 'outputPane' });
	if (info.stateSaved === false) {
		this.addExecutionHints({
			message: 'Manual run: n8n does not save static data, so dead letters kept in workflow static data by this run are gone after it',
			type: 'info',
			location: 'outputPane',
		});
	}
	return result;
}
