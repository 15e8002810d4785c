// Dispatches by operation; Resilient HTTP has one ("request"), the seam stays for the operations later issues add.
import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import * as request from './request.operation';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = 'request';
	switch (operation) {
		case 'request':
			return await request.execute.call(this);
		default:
			throw new NodeOperationError(this.getNode(), `The operation "${String(operation)}" is not supported`);
	}
}
