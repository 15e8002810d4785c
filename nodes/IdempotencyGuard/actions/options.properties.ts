// Per-operation "Options" collections: TTL, lease, payload fingerprint and the output field.
import type { INodeProperties } from 'n8n-workflow';

export const DEFAULT_FIELD = 'idempotency';

const outputField: INodeProperties = {
	displayName: 'Output Field',
	name: 'outputField',
	type: 'string',
	default: DEFAULT_FIELD,
	description: 'Field of the output item that holds the key, owner token and status; Complete and Release read it from there',
};

const ttlHours: INodeProperties = {
	displayName: 'Remember For (Hours)',
	name: 'ttlHours',
	type: 'number',
	typeOptions: { minValue: 0.01 },
	default: 24,
	description: 'How long a finished key answers with its stored result; after that the same key counts as new again',
};

export const optionsProperties: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'claimOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { operation: ['claim'] } },
		options: [
			{
				displayName: 'Lease (Minutes)',
				name: 'leaseMinutes',
				type: 'number',
				typeOptions: { minValue: 0.01 },
				default: 5,
				description:
					'How long a claim protects the key while its side effect runs. If the execution dies without Complete or Release, the key can be claimed again after this.',
			},
			{
				displayName: 'Payload Fingerprint Fields',
				name: 'fingerprintFields',
				type: 'string',
				default: '',
				placeholder: 'email, amount',
				description:
					'Comma-separated fields (or * for the whole item) whose values must match for a duplicate: the same key with other values goes out as a conflict instead of a duplicate. Empty: not compared.',
			},
			ttlHours,
			outputField,
		],
	},
	{
		displayName: 'Options',
		name: 'completeOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { operation: ['complete'] } },
		options: [ttlHours, outputField],
	},
	{
		displayName: 'Options',
		name: 'otherOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { operation: ['release', 'check'] } },
		options: [outputField],
	},
];

export interface GuardOptions {
	ttlHours?: number;
	leaseMinutes?: number;
	fingerprintFields?: string;
	outputField?: string;
}

export const OPTIONS_PARAMETER: Record<string, string> = { claim: 'claimOptions', complete: 'completeOptions', release: 'otherOptions', check: 'otherOptions' };
