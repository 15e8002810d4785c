// The Options collection: every knob here overrides the preset for this node only. Number knobs default to 0 =
// "the preset's value": n8n fills an added option with its default, which must not silently replace the preset's.
import type { INodeProperties } from 'n8n-workflow';

export const optionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Base Delay (Ms)',
			name: 'baseDelayMs',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: 'Wait before the first retry; each further retry doubles it (with jitter) (0 = the preset\'s value)',
		},
		{
			displayName: 'Body Rules (JSON)',
			name: 'bodyRules',
			type: 'json',
			default: '[]',
			description:
				'Extra rules checked before the preset\'s: a JSON array of {match, class} objects, e.g. [{"match":{"status":409,"bodyRegex":"locked"},"class":"transient"}]',
		},
		{
			displayName: 'Custom Idempotency Key',
			name: 'idempotencyKey',
			type: 'string',
			default: '',
			placeholder: '={{ $json.email }}',
			description: 'Used when Idempotency Key is "Custom": an expression giving one stable value per record',
		},
		{
			displayName: 'Idempotency Header Name',
			name: 'idempotencyHeader',
			type: 'string',
			default: 'Idempotency-Key',
			description: 'Header that carries the idempotency key (the preset may name another)',
		},
		{
			displayName: 'Idempotency Key',
			name: 'idempotencyMode',
			type: 'options',
			options: [
				{ name: 'None', value: 'none', description: 'Send no key; POST/PATCH are not retried after an ambiguous failure' },
				{
					name: 'Auto',
					value: 'auto',
					description: 'A key derived from workflow, node, request and item: the same on every attempt and re-run',
				},
				{ name: 'Custom', value: 'custom', description: 'The value of "Custom Idempotency Key"' },
			],
			default: 'none',
			description:
				'Whether to send a key that lets the server drop a repeated write, which makes POST/PATCH safe to retry. Only for APIs that honour keys: the preset\'s platform does (generic, webhook, Stripe, OpenAI) or you name the header below; otherwise the key goes out but a lost write is still not resent.',
		},
		{
			displayName: 'Items in Flight',
			name: 'concurrency',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 5,
			description: 'How many items are sent at the same time',
		},
		{
			displayName: 'Jitter',
			name: 'jitter',
			type: 'options',
			options: [
				{ name: 'Additive', value: 'additive' },
				{ name: 'Decorrelated', value: 'decorrelated' },
				{ name: 'Equal', value: 'equal' },
				{ name: 'Full', value: 'full' },
				{ name: 'None', value: 'none' },
				{ name: 'Preset\'s Choice', value: '' },
			],
			default: '',
			description: 'How waits are randomised so many items do not retry in lockstep',
		},
		{
			displayName: 'Max Attempts',
			name: 'maxAttempts',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: 'Total tries per item, the first one included (0 = the preset\'s value)',
		},
		{
			displayName: 'Max Delay (Ms)',
			name: 'maxDelayMs',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: 'Cap on a single computed wait (0 = the preset\'s value)',
		},
		{
			displayName: 'Permanent Statuses',
			name: 'permanentStatus',
			type: 'string',
			default: '',
			placeholder: '404, 409',
			description: 'Comma-separated statuses that mean "give up now" for this API',
		},
		{
			displayName: 'Retry Non-Idempotent Requests',
			name: 'retryNonIdempotent',
			type: 'boolean',
			default: false,
			description:
				'Whether to retry POST/PATCH without an idempotency key after a timeout or a 500 (risks creating duplicates)',
		},
		{
			displayName: 'Retry Statuses',
			name: 'retryOnStatus',
			type: 'string',
			default: '',
			placeholder: '409, 425',
			description: 'Comma-separated extra statuses to treat as temporary',
		},
		{
			displayName: 'Retry Window (Ms)',
			name: 'maxRetryWindowMs',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description:
				'Longest time spent on one item from its first attempt; a wait that would end later leaves the item on Failed as deferred with retryAt (0 = the preset\'s value)',
		},
		{
			displayName: 'Split Batch Results',
			name: 'splitBatchResults',
			type: 'boolean',
			default: false,
			description:
				'Whether a batch answer with per-record results (HubSpot batch, Salesforce collections, GraphQL errors beside data) becomes one item per record sent, all-success batches too: Success with the record\'s result, or Failed with its own class (a rate-limited record deferred with retryAt, an invalid one permanent, one the answer does not mention ambiguous, or resendable when the route is safe to repeat) and the record it sent; off: the batch stays one item, Failed as partial with the record list when some failed',
		},
		{
			displayName: 'Timeout (Ms)',
			name: 'timeoutMs',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: 'How long one attempt may take before it counts as timed out (0 = the preset\'s value)',
		},
		{
			displayName: 'Treat Conflict as Resolved',
			name: 'treatConflictAsResolved',
			type: 'boolean',
			default: false,
			description:
				'Whether a 409 that names the existing record (HubSpot "Contact already exists. Existing ID: N") goes to Success as resolved with existingId even when no earlier attempt of this item could have created it. Without it, only a conflict after our own retry (an earlier attempt timed out, was reset or got a 5xx) is resolved; other conflicts go to Failed with extract.existingId.',
		},
	],
};
