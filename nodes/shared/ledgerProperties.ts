// Where the idempotency ledger lives and who shares it; the same parameter names as the Circuit Breaker node's store.
import type { INodeProperties } from 'n8n-workflow';

export const LEDGER_STATIC_DATA_NOTICE =
	'Embedded: keys live in this n8n process and are copied into the workflow\'s static data, which n8n saves only after production runs (trigger, webhook, schedule, CLI) — not after manual test runs. Queue-mode workers do not see each other\'s keys: pick Redis there.';

export const ledgerStoreProperties: INodeProperties[] = [
	{
		displayName: 'State Backend',
		name: 'stateBackend',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Embedded (This N8n Process)', value: 'embedded', description: 'In memory, saved to the workflow\'s static data' },
			{ name: 'Redis', value: 'redis', description: 'Shared by every n8n process and queue-mode worker: concurrent executions see each other\'s claims' },
		],
		default: 'embedded',
		description: 'Where claimed keys and stored results are kept',
	},
	{
		displayName: LEDGER_STATIC_DATA_NOTICE,
		name: 'embeddedLedgerNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { stateBackend: ['embedded'] } },
	},
	{
		displayName: 'On Store Unreachable',
		name: 'onStoreUnreachable',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Fail the Items With a Clear Error', value: 'fail' },
			{ name: 'Fall Back to Embedded State and Warn', value: 'fallback', description: 'Duplicates are then caught only within this n8n process' },
		],
		default: 'fail',
		description: 'What happens when Redis cannot be reached; the choice and any fallback show in each item\'s idempotency.store',
		displayOptions: { show: { stateBackend: ['redis'] } },
	},
	{
		displayName: 'Key Scope',
		name: 'stateScope',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Per Workflow', value: 'workflow', description: 'Only this workflow sees these keys' },
			{ name: 'Under a Global Name', value: 'global', description: 'Every workflow using the same name shares the keys (e.g. two webhooks for one provider)' },
		],
		default: 'workflow',
		description:
			'Which workflows share a key: use the same scope in the Claim node and in the Complete / Release node. With the embedded backend, other workflows see a global scope only while this n8n process runs; use Redis for a lasting shared scope.',
	},
	{
		displayName: 'Global Name',
		name: 'stateNamespace',
		type: 'string',
		default: '',
		placeholder: 'stripe-events',
		description: 'Letters, digits, "_", "-" and "."; workflows that use the same name share keys. Empty: the one unnamed global scope.',
		displayOptions: { show: { stateScope: ['global'] } },
	},
];
