// Check: Allowed items may call the service now; Rejected items carry the state and when the breaker half-opens.
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { describeView } from '../../shared/breakerItem';
import { eachItem, keyForItem, type OpContext } from './common';

export const description: INodeProperties[] = [
	{
		displayName:
			'Allowed items may call the service now (in half-open only as many as the probe count); Rejected items must not. Connect Allowed to the node you protect, then a "Record Result" Circuit Breaker node after it.',
		name: 'checkNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { operation: ['check'] } },
	},
];

export async function execute(ctx: IExecuteFunctions, o: OpContext): Promise<INodeExecutionData[][]> {
	return await eachItem(ctx, 2, 1, o.built, async (i) => {
		const a = await o.built.store.acquire(keyForItem(ctx, i), o.policy);
		if (a.allowed) {
			const breaker: IDataObject = { allowed: true, probe: a.probe, ...describeView(a.view) };
			if (a.leaseId !== undefined) breaker.leaseId = a.leaseId;
			return { output: 0, breaker };
		}
		const view = describeView(a.view, a.retryAt);
		const reason =
			a.view.state === 'half-open'
				? 'Half-open: the probe calls are already taken; try again after they report'
				: view.retryAt
					? `Open: no calls until ${String(view.retryAt)}`
					: 'Forced open: no calls until it is reset';
		return { output: 1, breaker: { allowed: false, reason, ...view } };
	});
}
