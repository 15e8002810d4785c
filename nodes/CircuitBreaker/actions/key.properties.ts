// Which breaker an item belongs to: a key you name (any node), or the endpoint it calls (method + route, per account).
import type { INodeProperties } from 'n8n-workflow';

export const keyProperties: INodeProperties[] = [
	{
		displayName: 'Breaker Key',
		name: 'breakerKeyMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'A Name You Choose', value: 'custom', description: 'E.g. "hubspot", or an expression giving the account or domain: one breaker per distinct value.' },
			{
				name: 'Endpoint (Method + URL)',
				value: 'endpoint',
				description: 'Method, host and route template (IDs replaced), per account: /contacts/1 and /contacts/2 share one breaker',
			},
		],
		default: 'custom',
		description: 'How items map to breakers. Use the same key in the Check node and in the Record node.',
	},
	{
		displayName: 'Key',
		name: 'breakerKey',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'hubspot',
		description: 'The breaker\'s name; items with the same key share one breaker',
		displayOptions: { show: { breakerKeyMode: ['custom'] } },
	},
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		options: ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'].map((m) => ({ name: m, value: m })),
		default: 'GET',
		displayOptions: { show: { breakerKeyMode: ['endpoint'] } },
	},
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://api.hubapi.com/crm/v3/objects/contacts/123',
		description: 'The URL the protected node calls; query strings and record IDs do not make separate breakers',
		displayOptions: { show: { breakerKeyMode: ['endpoint'] } },
	},
	{
		displayName: 'Account',
		name: 'account',
		type: 'string',
		default: '',
		placeholder: 'portal-12345',
		description: 'Optional: the credential or account, so each account gets its own breaker',
		displayOptions: { show: { breakerKeyMode: ['endpoint'] } },
	},
];
