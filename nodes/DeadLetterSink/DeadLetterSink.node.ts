// Thin node class: the description lives in actions/versionDescription.ts, the work in actions/router.ts.
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { DEAD_LETTER_CREDENTIALS } from '../shared/deadLetterProperties';
import { resiliencePostgresConnectionTest } from '../shared/postgresCredentialTest';
import { resilienceRedisConnectionTest } from '../shared/redisCredentialTest';
import { router } from './actions/router';
import { versionDescription } from './actions/versionDescription';

export class DeadLetterSink implements INodeType {
	description: INodeTypeDescription = {
		...versionDescription,
		icon: { light: 'file:deadLetterSink.svg', dark: 'file:deadLetterSink.dark.svg' },
		subtitle: '={{ $parameter["operation"] + ($parameter["queue"] ? ": " + $parameter["queue"] : "") }}',
		credentials: DEAD_LETTER_CREDENTIALS.map((c) => ({ ...c })),
		usableAsTool: true,
	};

	methods = { credentialTest: { resilienceRedisConnectionTest, resiliencePostgresConnectionTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
