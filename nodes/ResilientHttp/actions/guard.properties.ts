// The "Guard With Idempotency Ledger" switch: the same state parameters as the Circuit Breaker switch (one backend
// serves both), shown here when only the guard is on.
import type { INodeProperties } from 'n8n-workflow';

import { LEDGER_STATIC_DATA_NOTICE } from '../../shared/ledgerProperties';
import { stateStoreProperties } from '../../shared/stores';

const LEDGER_TEXT: Record<string, string> = {
	stateBackend: 'Where claimed keys and stored responses are kept (the circuit breaker, when on, uses the same backend)',
	stateScope: 'Which workflows share idempotency keys',
	stateNamespace: 'Workflows that use the same name share keys (with Redis: across all of n8n); empty: the one unnamed global scope, as in the Idempotency Guard node',
};

export const guardProperties: INodeProperties[] = [
	{
		displayName: 'Guard With Idempotency Ledger',
		name: 'idempotencyGuard',
		type: 'boolean',
		default: false,
		description:
			'Whether to claim each item\'s idempotency key in a ledger before sending: a key already done returns its stored response on Success (marked idempotency.duplicate) and sends nothing; a key held by another execution goes to Failed as "in-progress" with retryAt; the same key with another method, URL or body goes to Failed as "conflict"',
	},
	{
		displayName:
			'The key is the item\'s idempotency key (Options → Idempotency Key: Custom, or Auto when None) and goes out in the Idempotency-Key header (or the preset\'s) on every attempt. Success completes the key with the response; a permanent failure releases it; an ambiguous failure (timeout or reset after sending) keeps it until its lease ends, so a rerun cannot repeat a write the server may have applied. Conflicts: a 409 naming the existing record (HubSpot "Contact already exists. Existing ID: N") after an earlier attempt of the same item may have created it is our own retry and goes to Success as resolved with existingId; other such 409s go to Failed with extract.existingId unless Options → Treat Conflict as Resolved is on.',
		name: 'idempotencyGuardNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { idempotencyGuard: [true] } },
	},
	...stateStoreProperties({ circuitBreaker: [false], idempotencyGuard: [true] }).map((p) =>
		p.type === 'notice'
			? { ...p, name: 'embeddedLedgerNotice', displayName: LEDGER_STATIC_DATA_NOTICE }
			: // Empty global name = the one unnamed global scope, which the Idempotency Guard node's default also uses.
				{ ...p, description: LEDGER_TEXT[p.name] ?? p.description, ...(p.name === 'stateNamespace' ? { default: '', placeholder: 'stripe-events' } : {}) },
	),
	{
		displayName: 'Remember Results For (Hours)',
		name: 'idempotencyTtlHours',
		type: 'number',
		typeOptions: { minValue: 0.01 },
		default: 24,
		description: 'How long a completed key answers reruns with its stored response instead of sending again',
		displayOptions: { show: { idempotencyGuard: [true] } },
	},
];
