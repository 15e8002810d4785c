// Thin node class: the description lives in actions/versionDescription.ts, the work in actions/router.ts.
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { resilienceRedisConnectionTest } from '../shared/redisCredentialTest';
import { credentialDescriptions } from './actions/authentication';
import { router } from './actions/router';
import { versionDescription } from './actions/versionDescription';

export class ResilientHttp implements INodeType {
	description: INodeTypeDescription = {
		...versionDescription,
		icon: { light: 'file:resilientHttp.svg', dark: 'file:resilientHttp.dark.svg' },
		subtitle: '={{$parameter["method"] + " · " + $parameter["preset"]}}',
		usableAsTool: true,
		credentials: [
			...credentialDescriptions,
			{
				name: 'resilienceRedisApi',
				required: true,
				testedBy: 'resilienceRedisConnectionTest',
				// One backend serves the breaker and the idempotency guard; the backend is shown only when one of them is on.
				displayOptions: { show: { stateBackend: ['redis'] } },
			},
		],
	};

	methods = { credentialTest: { resilienceRedisConnectionTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
