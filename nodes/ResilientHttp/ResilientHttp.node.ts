// Thin node class: the description lives in actions/versionDescription.ts, the work in actions/router.ts.
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { resiliencePostgresConnectionTest } from '../shared/postgresCredentialTest';
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
				// One backend serves the breaker, the idempotency guard and dead letters kept with the state backend.
				displayOptions: { show: { stateBackend: ['redis'] } },
			},
			{
				name: 'resiliencePostgresApi',
				required: true,
				testedBy: 'resiliencePostgresConnectionTest',
				displayOptions: { show: { deadLetter: [true], deadLetterBackend: ['postgres'] } },
			},
		],
	};

	methods = { credentialTest: { resilienceRedisConnectionTest, resiliencePostgresConnectionTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
