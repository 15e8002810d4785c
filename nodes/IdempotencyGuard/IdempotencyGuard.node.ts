// Thin node class: the description lives in actions/versionDescription.ts, the work in actions/router.ts.
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { resilienceRedisConnectionTest } from '../shared/redisCredentialTest';
import { router } from './actions/router';
import { versionDescription } from './actions/versionDescription';

export class IdempotencyGuard implements INodeType {
	description: INodeTypeDescription = {
		...versionDescription,
		icon: { light: 'file:idempotencyGuard.svg', dark: 'file:idempotencyGuard.dark.svg' },
		subtitle: '={{ $parameter["operation"] }}',
		credentials: [
			{
				name: 'resilienceRedisApi',
				required: true,
				testedBy: 'resilienceRedisConnectionTest',
				displayOptions: { show: { stateBackend: ['redis'] } },
			},
		],
		usableAsTool: true,
	};

	methods = { credentialTest: { resilienceRedisConnectionTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
