// The request itself: method, URL, query, headers, body and how to read the response.
import type { INodeProperties } from 'n8n-workflow';

const nameValue = (displayName: string, name: string, placeholder: string): INodeProperties => ({
	displayName,
	name,
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder,
	default: { parameters: [{ name: '', value: '' }] },
	options: [
		{
			name: 'parameters',
			displayName: 'Parameter',
			values: [
				{ displayName: 'Name', name: 'name', type: 'string', default: '' },
				{ displayName: 'Value', name: 'value', type: 'string', default: '' },
			],
		},
	],
});

export const requestProperties: INodeProperties[] = [
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		options: [
			{ name: 'DELETE', value: 'DELETE' },
			{ name: 'GET', value: 'GET' },
			{ name: 'HEAD', value: 'HEAD' },
			{ name: 'OPTIONS', value: 'OPTIONS' },
			{ name: 'PATCH', value: 'PATCH' },
			{ name: 'POST', value: 'POST' },
			{ name: 'PUT', value: 'PUT' },
		],
		default: 'GET',
		description: 'HTTP method. POST and PATCH are only retried when it is provably safe, or with an idempotency key.',
	},
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://api.hubapi.com/crm/v3/objects/contacts',
		description: 'The full URL to call',
	},
	{
		displayName: 'Send Query Parameters',
		name: 'sendQuery',
		type: 'boolean',
		default: false,
		description: 'Whether the request has query parameters',
	},
	{
		...nameValue('Query Parameters', 'queryParameters', 'Add Parameter'),
		displayOptions: { show: { sendQuery: [true] } },
	},
	{
		displayName: 'Send Headers',
		name: 'sendHeaders',
		type: 'boolean',
		default: false,
		description: 'Whether the request has headers of its own (credentials add theirs automatically)',
	},
	{
		...nameValue('Headers', 'headerParameters', 'Add Header'),
		displayOptions: { show: { sendHeaders: [true] } },
	},
	{
		displayName: 'Send Body',
		name: 'sendBody',
		type: 'boolean',
		default: false,
		description: 'Whether the request has a body',
	},
	{
		displayName: 'Body Content Type',
		name: 'bodyType',
		type: 'options',
		options: [
			{ name: 'JSON', value: 'json' },
			{ name: 'Form URL-Encoded', value: 'form' },
			{ name: 'Raw', value: 'raw' },
		],
		default: 'json',
		displayOptions: { show: { sendBody: [true] } },
	},
	{
		displayName: 'JSON Body',
		name: 'jsonBody',
		type: 'json',
		default: '{}',
		displayOptions: { show: { sendBody: [true], bodyType: ['json'] } },
	},
	{
		...nameValue('Form Fields', 'formParameters', 'Add Field'),
		displayOptions: { show: { sendBody: [true], bodyType: ['form'] } },
	},
	{
		displayName: 'Content Type',
		name: 'rawContentType',
		type: 'string',
		default: 'text/plain',
		displayOptions: { show: { sendBody: [true], bodyType: ['raw'] } },
	},
	{
		displayName: 'Raw Body',
		name: 'rawBody',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		displayOptions: { show: { sendBody: [true], bodyType: ['raw'] } },
	},
	{
		displayName: 'Response Format',
		name: 'responseFormat',
		type: 'options',
		options: [
			{ name: 'Auto-Detect', value: 'auto', description: 'JSON when the response says so or its body starts like JSON, text otherwise' },
			{ name: 'JSON', value: 'json', description: 'A body that is not JSON is kept as text under "data" and flagged with responseWarning' },
			{ name: 'Text', value: 'text', description: 'The body as a string under "data"' },
		],
		default: 'auto',
		description: 'How the response body becomes the Success item',
	},
];
