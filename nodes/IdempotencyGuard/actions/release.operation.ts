// Release: gives the key up after a failed side effect, so the next run (or a retry) claims it as New.
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { claimOfItem, eachItem, type OpContext } from './common';

export async function execute(ctx: IExecuteFunctions, o: OpContext): Promise<INodeExecutionData[][]> {
	return await eachItem(ctx, { outputs: 1, errorOutput: 0, built: o.built, field: o.field }, async (i) => {
		const { key, owner } = claimOfItem(ctx, i);
		const r = await o.built.ledger.release(key, owner);
		if (r.status === 'released') return { output: 0, facts: { key, status: 'released', attempt: r.attempt } };
		const why = r.reason === 'not-owner' ? 'another execution holds or finished this key' : r.reason === 'already-completed' ? 'the key is already completed' : 'there is no live claim for this key';
		return { output: 0, facts: { key, status: 'rejected', reason: r.reason, warning: `Not released: ${why}` } };
	});
}
