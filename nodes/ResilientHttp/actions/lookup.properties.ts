// "Look Up Lost Writes": a POST/PATCH whose answer was lost is read back instead of being flagged or resent blindly.
import type { INodeProperties } from 'n8n-workflow';

const on = { show: { lookUpLostWrites: [true] } };

export const lookupProperties: INodeProperties[] = [
	{
		displayName: 'Look Up Lost Writes',
		name: 'lookUpLostWrites',
		type: 'boolean',
		default: false,
		description:
			'Whether to read back a write whose answer was lost (a timeout or reset after the request was sent, with no idempotency key): when the lookup finds the record the item goes to Success with what it found; when not, it is flagged ambiguous on Failed, or sent again if you choose so below',
	},
	{
		displayName:
			'The lookup is a GET with this node\'s credential and headers, so it must find the record by what the write carried: an email, an external ID, a prospect and a sequence. A failed lookup proves nothing: the item stays ambiguous.',
		name: 'lookupNotice',
		type: 'notice',
		default: '',
		displayOptions: on,
	},
	{
		displayName: 'Lookup URL',
		name: 'lookupUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://api.example.com/v1/contacts?email={{ $json.email }}',
		description:
			'The GET that shows whether this item\'s write was applied (e.g. the contact by email, the enrollment by prospect and sequence); expressions see the item as it entered the node',
		displayOptions: on,
	},
	{
		displayName: 'Found When (JSONPath)',
		name: 'lookupFoundWhen',
		type: 'string',
		default: '$.data[0].id',
		required: true,
		description: 'The write counts as applied when the answer has a value at this path (a.b[0].c after the $, as in the default for a JSON:API list)',
		displayOptions: on,
	},
	{
		displayName: 'Found Value',
		name: 'lookupEquals',
		type: 'string',
		default: '',
		description: 'If set, the value at the path must also equal this (e.g. "succeeded" for a job status); empty: any value counts',
		displayOptions: on,
	},
	{
		displayName: 'Lookups',
		name: 'lookupMaxTries',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 20 },
		default: 3,
		description: 'How many times to look before giving up, for servers that show a new record after a delay',
		displayOptions: on,
	},
	{
		displayName: 'Between Lookups (Ms)',
		name: 'lookupIntervalMs',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 2000,
		description: 'Time from the start of one lookup to the next; lookups stop at the retry window too',
		displayOptions: on,
	},
	{
		displayName: 'If Not Found',
		name: 'lookupNotFound',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Flag as Ambiguous', value: 'flag', description: 'Failed, ambiguous: true, nothing sent again' },
			{
				name: 'Send Again',
				value: 'resend',
				description:
					'Only when every lookup answered and none found it (a failed lookup proves nothing); counts as an attempt. Only for APIs that show a write as soon as they answer it: one that commits later than your lookups look gets it twice.',
			},
		],
		default: 'flag',
		description: 'What to do when every lookup says the write is not there',
		displayOptions: on,
	},
];
