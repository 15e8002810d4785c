// Thin node class: the description lives in actions/versionDescription.ts, the work in actions/poll.ts.
import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';

import { DEAD_LETTER_CREDENTIALS } from '../shared/deadLetterProperties';
import { resiliencePostgresConnectionTest } from '../shared/postgresCredentialTest';
import { resilienceRedisConnectionTest } from '../shared/redisCredentialTest';
import { poll } from './actions/poll';
import { versionDescription } from './actions/versionDescription';

export class DeadLetterTrigger implements INodeType {
	description: INodeTypeDescription = {
		...versionDescription,
		icon: { light: 'file:deadLetterTrigger.svg', dark: 'file:deadLetterTrigger.dark.svg' },
		subtitle: '={{ $parameter["queueFilter"] || "every queue" }}',
		polling: true,
		credentials: DEAD_LETTER_CREDENTIALS.map((c) => ({ ...c })),
	};

	methods = { credentialTest: { resilienceRedisConnectionTest, resiliencePostgresConnectionTest } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await poll.call(this);
	}
}
