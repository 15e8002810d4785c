// RecordSuccess: counts the call as a success: in half-open, enough successes close the breaker.
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { OpContext } from './common';
import { executeRecord } from './record';

export async function execute(ctx: IExecuteFunctions, o: OpContext): Promise<INodeExecutionData[][]> {
	return await executeRecord(ctx, o, 'recordSuccess');
}
