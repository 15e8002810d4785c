// Discard: the record will never be delivered (bad data), so its entry closes as discarded and Replay skips it.
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { OpContext } from './common';
import { settle } from './settle';

export async function execute(ctx: IExecuteFunctions, o: OpContext): Promise<INodeExecutionData[][]> {
	return await settle(ctx, o, 'discard');
}
