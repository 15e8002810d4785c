// Where dead letters are kept when a team wants to query them with SQL: the dead_letter_queue table in this database.
import type { ICredentialType, INodeProperties } from 'n8n-workflow';

export class ResiliencePostgresApi implements ICredentialType {
	name = 'resiliencePostgresApi';

	displayName = 'Resilience PostgreSQL';

	icon = 'file:resiliencePostgres.svg' as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-resilience#postgresql-credential';

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
			default: 5432,
		},
		{
			displayName: 'Database',
			name: 'database',
			type: 'string',
			default: 'postgres',
			required: true,
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: 'postgres',
			required: true,
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'SSL',
			name: 'ssl',
			type: 'options',
			options: [
				{ name: 'Disable', value: 'disable', description: 'Plain connection (local or private network)' },
				{ name: 'Require', value: 'require', description: 'Encrypted, without checking the server certificate' },
				{ name: 'Verify', value: 'verify', description: 'Encrypted, and the server certificate must be trusted' },
			],
			default: 'disable',
			description: 'Whether and how to encrypt the connection (managed PostgreSQL services usually require it)',
		},
		{
			displayName: 'Schema',
			name: 'schema',
			type: 'string',
			default: 'public',
			description: 'Schema that holds the dead_letter_queue table; it and the table are created on first use if the user may',
		},
	];
}
