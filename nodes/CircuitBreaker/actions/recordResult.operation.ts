// Record result: the outcome is read from the item (Resilient HTTP report, status, error) or from expressions.
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { OpContext } from './common';
import { executeRecord } from './record';

export const description: INodeProperties[] = [
	{
		displayName: 'Read Result From',
		name: 'resultFrom',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'The Item (Auto-Detect)',
				value: 'item',
				description:
					'A Resilient HTTP report (the resilience field), else statusCode or status, else an error field (continue-on-fail); an item with none of them succeeded',
			},
			{ name: 'Status and Error Fields', value: 'fields', description: 'Expressions you choose' },
		],
		default: 'item',
		description: 'Where the outcome of the protected call is read. Only server errors (5xx) and network failures count against the breaker; 4xx and 429 never do.',
		displayOptions: { show: { operation: ['recordResult'] } },
	},
	{
		displayName: 'HTTP Status',
		name: 'resultStatus',
		type: 'string',
		default: '={{ $json.statusCode }}',
		description: 'The call\'s HTTP status, if it has one',
		displayOptions: { show: { operation: ['recordResult'], resultFrom: ['fields'] } },
	},
	{
		displayName: 'Is Error',
		name: 'resultIsError',
		type: 'boolean',
		default: false,
		description: 'Whether the call failed (used when there is no HTTP status), e.g. an expression testing the error field',
		displayOptions: { show: { operation: ['recordResult'], resultFrom: ['fields'] } },
	},
];

export async function execute(ctx: IExecuteFunctions, o: OpContext): Promise<INodeExecutionData[][]> {
	return await executeRecord(ctx, o, 'recordResult');
}
