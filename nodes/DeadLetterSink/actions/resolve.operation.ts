// Resolve: the record was delivered after all (e.g. its replay succeeded), so its entry closes as resolved.
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { OpContext } from './common';
import { settle } from './settle';

export async function execute(ctx: IExecuteFunctions, o: OpContext): Promise<INodeExecutionData[][]> {
	return await settle(ctx, o, 'resolve');
}
