// Which key an item claims or checks: an expression (a webhook's event id) or a stable hash of chosen fields.
import type { INodeProperties } from 'n8n-workflow';

const claimOrCheck = { show: { operation: ['claim', 'check'] } };

export const keyProperties: INodeProperties[] = [
	{
		displayName: 'Key From',
		name: 'keyMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'An Expression', value: 'expression', description: 'E.g. the event ID a webhook provider sends with every delivery.' },
			{ name: 'A Hash of Chosen Fields', value: 'fields', description: 'E.g. email + campaign: the same values give the same key in every run.' },
		],
		default: 'expression',
		description: 'How each item gets its idempotency key. Items with the same key do the side effect once.',
		displayOptions: claimOrCheck,
	},
	{
		displayName: 'Key',
		name: 'key',
		type: 'string',
		default: '',
		required: true,
		placeholder: '={{ $json.body.event_id }}',
		description: 'The idempotency key of the item, e.g. a webhook event ID or "crm-upsert:" + a lead ID',
		displayOptions: { show: { ...claimOrCheck.show, keyMode: ['expression'] } },
	},
	{
		displayName: 'Fields',
		name: 'keyFields',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'email, campaign_id',
		description: 'Comma-separated field names (dots for nested: contact.email); an item missing one of them fails rather than sharing a key',
		displayOptions: { show: { ...claimOrCheck.show, keyMode: ['fields'] } },
	},
	{
		displayName: 'Key Prefix',
		name: 'keyPrefix',
		type: 'string',
		default: '',
		placeholder: 'crm-upsert',
		description: 'Put in front of the hash, e.g. the step name, so each step of a pipeline has its own key',
		displayOptions: { show: { ...claimOrCheck.show, keyMode: ['fields'] } },
	},
	{
		displayName: 'Key',
		name: 'claimKey',
		type: 'string',
		default: '={{ $json.idempotency.key }}',
		required: true,
		description:
			'The key the Claim node gave this item. After a node that replaces the item (an HTTP call), read it from the Claim node\'s item instead, e.g. $(\'Claim\').item and then idempotency.key.',
		displayOptions: { show: { operation: ['complete', 'release'] } },
	},
	{
		displayName: 'Owner Token',
		name: 'claimOwner',
		type: 'string',
		default: '={{ $json.idempotency.owner }}',
		required: true,
		description: 'The token the Claim node gave this item; only the holder of the claim can complete or release it',
		displayOptions: { show: { operation: ['complete', 'release'] } },
	},
];
