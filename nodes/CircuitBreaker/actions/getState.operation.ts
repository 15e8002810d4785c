// Get state: the effective state now (an open breaker past its time reads half-open) and its recent transitions.
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { describeView } from '../../shared/breakerItem';
import { eachItem, keyForItem, type OpContext } from './common';

export const description: INodeProperties[] = [
	{
		displayName: 'Include Recent Transitions',
		name: 'includeEvents',
		type: 'boolean',
		default: true,
		description: 'Whether to add the latest state changes (newest first) with their reasons',
		displayOptions: { show: { operation: ['getState'] } },
	},
];

export async function execute(ctx: IExecuteFunctions, o: OpContext): Promise<INodeExecutionData[][]> {
	return await eachItem(ctx, 1, 0, o.built, async (i) => {
		const key = keyForItem(ctx, i);
		const breaker: IDataObject = describeView(await o.built.store.getState(key, o.policy));
		if (ctx.getNodeParameter('includeEvents', i, true)) {
			const events = await o.built.store.events(key, 10);
			breaker.transitions = events.map((e) => ({ at: new Date(e.at).toISOString(), from: e.from, to: e.to, reason: e.reason }));
		}
		return { output: 0, breaker };
	});
}
