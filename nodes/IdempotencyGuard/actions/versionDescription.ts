// The node's description: operations, key, per-operation options and the ledger's backend; outputs depend on the operation.
import type { INodeTypeDescription } from 'n8n-workflow';

import { ledgerStoreProperties } from '../../shared/ledgerProperties';
import * as claim from './claim.operation';
import * as complete from './complete.operation';
import { keyProperties } from './key.properties';
import { optionsProperties } from './options.properties';

/** Claim has New, Duplicate and In Progress or Conflict (nothing disappears); every other operation has one output. */
const OUTPUTS =
	'={{ $parameter["operation"] === "claim" ? [{ "type": "main", "displayName": "New" }, { "type": "main", "displayName": "Duplicate" }, { "type": "main", "displayName": "In Progress or Conflict" }] : [{ "type": "main" }] }}';

export const versionDescription: Omit<INodeTypeDescription, 'icon' | 'subtitle' | 'usableAsTool' | 'credentials'> = {
	displayName: 'Idempotency Guard',
	name: 'idempotencyGuard',
	group: ['transform'],
	version: 1,
	description:
		'Makes each side effect happen once: claim a key before it, complete after success, release after failure. Duplicates get the stored result; in-progress and conflicting keys go to their own output.',
	defaults: { name: 'Idempotency Guard' },
	inputs: ['main'],
	outputs: OUTPUTS,
	properties: [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Check', value: 'check', action: 'Check a key', description: 'What the ledger holds for the key, changing nothing' },
				{ name: 'Claim', value: 'claim', action: 'Claim a key before a side effect', description: 'Route items to New, Duplicate, or In Progress or Conflict' },
				{ name: 'Complete', value: 'complete', action: 'Complete a claimed key', description: 'Store the result after the side effect succeeded' },
				{ name: 'Release', value: 'release', action: 'Release a claimed key', description: 'Give the key up after a failure so a later run tries again' },
			],
			default: 'claim',
		},
		...claim.description,
		...keyProperties,
		...complete.description,
		...optionsProperties,
		...ledgerStoreProperties,
	],
};
