// Check: what the ledger holds for the key, changing nothing (absent, in progress, completed or released).
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { eachItem, iso, keyForItem, type OpContext } from './common';

export async function execute(ctx: IExecuteFunctions, o: OpContext): Promise<INodeExecutionData[][]> {
	return await eachItem(ctx, { outputs: 1, errorOutput: 0, built: o.built, field: o.field }, async (i, input) => {
		const v = await o.built.ledger.check(keyForItem(ctx, i, input));
		// The holder's owner token stays out of the item: only the claimant may settle the key.
		const facts: IDataObject = { key: v.key, status: v.state, attempt: v.attempt };
		if (v.leaseExpiresAt !== undefined) facts.leaseExpiresAt = iso(v.leaseExpiresAt);
		if (v.leaseExpired !== undefined) facts.leaseExpired = v.leaseExpired;
		if (v.state === 'completed') facts.result = v.result as IDataObject;
		if (v.firstDoneAt !== undefined) facts.firstDoneAt = iso(v.firstDoneAt);
		if (v.completedAt) facts.completedAt = iso(v.completedAt);
		if (v.expiresAt !== undefined) facts.expiresAt = iso(v.expiresAt);
		return { output: 0, facts };
	});
}
