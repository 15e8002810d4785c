// Force open: stop all calls by hand (maintenance window, known outage) for a time or until a Reset.
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { describeView } from '../../shared/breakerItem';
import { ConfigError } from '../../shared/configError';
import { eachItem, keyForItem, type OpContext } from './common';

export const description: INodeProperties[] = [
	{
		displayName: 'Open For (Ms)',
		name: 'forceOpenMs',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'How long the breaker stays open before it lets probes through; 0 keeps it open until a Reset',
		displayOptions: { show: { operation: ['forceOpen'] } },
	},
];

export async function execute(ctx: IExecuteFunctions, o: OpContext): Promise<INodeExecutionData[][]> {
	return await eachItem(ctx, 1, 0, o.built, async (i) => {
		const key = keyForItem(ctx, i);
		const ms = Number(ctx.getNodeParameter('forceOpenMs', i, 0));
		if (!Number.isFinite(ms) || ms < 0) throw new ConfigError('forceOpenMs', 'Must be a number of ms ≥ 0');
		const view = await o.built.store.forceOpen(key, o.policy, ms > 0 ? Math.round(ms) : undefined);
		return { output: 0, breaker: { action: 'force-open', ...describeView(view) } };
	});
}
