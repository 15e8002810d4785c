// Reset: back to closed with an empty window, e.g. after fixing the cause or ending a forced open.
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { describeView } from '../../shared/breakerItem';
import { eachItem, keyForItem, type OpContext } from './common';

export async function execute(ctx: IExecuteFunctions, o: OpContext): Promise<INodeExecutionData[][]> {
	return await eachItem(ctx, 1, 0, o.built, async (i) => {
		const view = await o.built.store.reset(keyForItem(ctx, i), o.policy);
		return { output: 0, breaker: { action: 'reset', ...describeView(view) } };
	});
}
