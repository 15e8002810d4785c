// The "Dead-Letter Failed Items" switch: every Failed item is also written to a dead-letter queue (and still leaves on Failed).
import type { INodeProperties } from 'n8n-workflow';

import { DEAD_LETTER_STATIC_DATA_NOTICE } from '../../shared/deadLetterProperties';
import { stateStoreProperties } from '../../shared/stores';

const on = { deadLetter: [true] };

/** The State Backend parameter, shown for dead letters when neither the breaker, the guard nor the rate limiter already shows it. */
const stateBackendForDeadLetters = stateStoreProperties({ circuitBreaker: [false], idempotencyGuard: [false], rateLimit: ['off'], deadLetter: [true], deadLetterBackend: ['state'] })
	.filter((p) => p.name === 'stateBackend')
	.map((p) => ({
		...p,
		description: 'Where dead letters are kept: Embedded = this workflow\'s static data (small and capped), Redis = the Resilience Redis credential\'s server',
	}));

export const deadLetterProperties: INodeProperties[] = [
	{
		displayName: 'Dead-Letter Failed Items',
		name: 'deadLetter',
		type: 'boolean',
		default: false,
		description:
			'Whether to also write every Failed item to a dead-letter queue for replay and alerting (Dead Letter Sink and Trigger nodes). The item still leaves on Failed with resilience.deadLetter (its ID, or the write error if the store refused it). A replayed item that fails again returns to its entry.',
	},
	{
		displayName: 'Dead Letter Backend',
		name: 'deadLetterBackend',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Same as State Backend (Static Data or Redis)', value: 'state', description: 'Embedded state: this workflow\'s static data; Redis: the Resilience Redis credential' },
			{ name: 'PostgreSQL', value: 'postgres', description: 'A dead_letter_queue table you can query with SQL (Resilience PostgreSQL credential)' },
		],
		default: 'state',
		description: 'Where the dead letters go; a Dead Letter Sink or Trigger reading them must use the same backend and credential',
		displayOptions: { show: on },
	},
	...stateBackendForDeadLetters,
	{
		displayName: DEAD_LETTER_STATIC_DATA_NOTICE,
		name: 'deadLetterStaticDataNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { ...on, deadLetterBackend: ['state'], stateBackend: ['embedded'] } },
	},
	{
		displayName: 'Dead Letter Queue',
		name: 'deadLetterQueue',
		type: 'string',
		default: 'default',
		placeholder: 'crm-upsert',
		description: 'Queue name, e.g. the step ("crm-upsert"); an expression may choose it per item. No spaces or braces.',
		displayOptions: { show: on },
	},
	{
		displayName: 'On Dead Letter Store Unreachable',
		name: 'deadLetterOnUnreachable',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Keep the Item on Failed With the Error', value: 'fail', description: 'The item\'s resilience.deadLetter says stored: false and why' },
			{ name: 'Park in Workflow Static Data and Warn', value: 'fallback', description: 'Moved to Redis or PostgreSQL on a later run once it answers' },
		],
		default: 'fail',
		description: 'What happens when Redis or PostgreSQL cannot be reached; either way the item leaves on Failed',
		displayOptions: { show: on },
	},
];
