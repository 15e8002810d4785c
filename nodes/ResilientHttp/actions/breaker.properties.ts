// The Circuit Breaker switch of Resilient HTTP: the same breakers, backend and policy as the Circuit Breaker node.
import type { INodeProperties } from 'n8n-workflow';

import { breakerPolicyProperty } from '../../shared/breakerPolicy';
import { stateStoreProperties } from '../../shared/stores';

export const breakerProperties: INodeProperties[] = [
	{
		displayName: 'Circuit Breaker',
		name: 'circuitBreaker',
		type: 'boolean',
		default: false,
		description:
			'Whether to stop calling an endpoint that keeps failing (5xx, network errors): while its breaker is open, items go to Failed at once as "circuit-open" with retryAt, and no request is sent',
	},
	{
		displayName:
			'Breakers are per endpoint: method, host and route (record IDs replaced) and credential. A Circuit Breaker node with the same backend and sharing sees them under the key shown in a Failed item.',
		name: 'breakerKeyNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { circuitBreaker: [true] } },
	},
	...stateStoreProperties({ circuitBreaker: [true] }),
	breakerPolicyProperty({ circuitBreaker: [true] }),
];
