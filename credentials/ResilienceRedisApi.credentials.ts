// Where breakers (and later limiters, ledgers, dead letters) keep state shared by every n8n process and worker.
import type { ICredentialType, INodeProperties } from 'n8n-workflow';

export class ResilienceRedisApi implements ICredentialType {
	name = 'resilienceRedisApi';

	displayName = 'Resilience Redis';

	icon = 'file:resilienceRedis.svg' as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-resilience#redis-credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			default: 'localhost',
			required: true,
		},
		{
			displayName: 'Port',
			name: 'port',
			type: 'number',
			default: 6379,
		},
		{
			displayName: 'Database Number',
			name: 'database',
			type: 'number',
			default: 0,
			description: 'Redis logical database (0–15 on a default server)',
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			description: 'ACL user name; leave empty for the default user',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'SSL/TLS',
			name: 'tls',
			type: 'boolean',
			default: false,
			description: 'Whether to connect over TLS (managed Redis services usually require it)',
		},
		{
			displayName: 'Key Prefix',
			name: 'keyPrefix',
			type: 'string',
			default: 'resilience',
			description: 'Every key this package writes starts with this prefix, so several installations can share one Redis',
		},
	];
}
