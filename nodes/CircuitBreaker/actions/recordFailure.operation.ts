// RecordFailure: counts the call as a failure: may trip the breaker, or re-open it from half-open.
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { OpContext } from './common';
import { executeRecord } from './record';

export async function execute(ctx: IExecuteFunctions, o: OpContext): Promise<INodeExecutionData[][]> {
	return await executeRecord(ctx, o, 'recordFailure');
}
