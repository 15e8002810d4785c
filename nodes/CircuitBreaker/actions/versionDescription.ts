// The node's description: operations, breaker key, state backend and policy; outputs depend on the operation.
import type { INodeTypeDescription } from 'n8n-workflow';

import { breakerPolicyProperty } from '../../shared/breakerPolicy';
import { stateStoreProperties } from '../../shared/stores';
import * as check from './check.operation';
import * as forceOpen from './forceOpen.operation';
import * as getState from './getState.operation';
import { keyProperties } from './key.properties';
import * as recordResult from './recordResult.operation';

// Credentials, icon, subtitle and usableAsTool are stated in the node class, where n8n's lint reads them.
/** Check has Allowed and Rejected; every other operation has one output. */
const OUTPUTS =
	'={{ $parameter["operation"] === "check" ? [{ "type": "main", "displayName": "Allowed" }, { "type": "main", "displayName": "Rejected" }] : [{ "type": "main" }] }}';

export const versionDescription: Omit<INodeTypeDescription, 'icon' | 'subtitle' | 'usableAsTool' | 'credentials'> = {
	displayName: 'Circuit Breaker',
	name: 'circuitBreaker',
	group: ['transform'],
	version: 1,
	description: 'Stops calling a failing service for a while, around any node: check before the call, record the result after',
	defaults: { name: 'Circuit Breaker' },
	inputs: ['main'],
	outputs: OUTPUTS,
	properties: [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Check', value: 'check', action: 'Check whether a call is allowed', description: 'Route items to Allowed or Rejected' },
				{ name: 'Force Open', value: 'forceOpen', action: 'Force the breaker open', description: 'Stop all calls for a time or until a reset' },
				{ name: 'Get State', value: 'getState', action: 'Get the breaker state', description: 'Closed, open or half-open, with counts and transitions' },
				{ name: 'Record Failure', value: 'recordFailure', action: 'Record a failed call', description: 'Count the call as failed' },
				{ name: 'Record Result', value: 'recordResult', action: 'Record the result of a call', description: 'Read success or failure from the item' },
				{ name: 'Record Success', value: 'recordSuccess', action: 'Record a successful call', description: 'Count the call as successful' },
				{ name: 'Reset', value: 'reset', action: 'Reset the breaker', description: 'Back to closed with an empty window' },
			],
			default: 'check',
		},
		...keyProperties,
		...check.description,
		...recordResult.description,
		...getState.description,
		...forceOpen.description,
		...stateStoreProperties(),
		breakerPolicyProperty(),
	],
};
