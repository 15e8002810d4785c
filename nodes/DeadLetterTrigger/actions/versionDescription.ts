// The trigger's description: where dead letters live, which events to announce, the depth thresholds.
import type { INodeTypeDescription } from 'n8n-workflow';

import { deadLetterStoreProperties } from '../../shared/deadLetterProperties';

const depth = { show: { events: ['depth'] } };

export const versionDescription: Omit<INodeTypeDescription, 'icon' | 'subtitle' | 'credentials' | 'polling'> = {
	displayName: 'Dead Letter Trigger',
	name: 'deadLetterTrigger',
	group: ['trigger'],
	version: 1,
	description: 'Starts the workflow when records are dead-lettered (each announced once) or a queue gets too deep, e.g. to alert Slack or email',
	defaults: { name: 'Dead Letter Trigger' },
	inputs: [],
	outputs: ['main'],
	properties: [
		{
			displayName:
				'Each item has event ("new-entry" or "depth-crossing"), queue and a message ready for Slack or email. A new entry carries its ID, class, reason, workflow and node, and the whole entry; a depth crossing carries from, to (ok, warning, critical), depth and the oldest age.',
			name: 'triggerNotice',
			type: 'notice',
			default: '',
		},
		...deadLetterStoreProperties({ unreachable: false, staticData: false }),
		{
			displayName:
				'Redis or PostgreSQL only: an active trigger keeps its own copy of the workflow\'s static data, so it would not see entries other executions keep there (for those, use a Schedule Trigger and the Dead Letter Sink\'s Stats or List). Put this trigger in a workflow of its own: n8n saves that copy of the static data over what other executions of the same workflow saved.',
			name: 'backendNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Trigger On',
			name: 'events',
			type: 'multiOptions',
			options: [
				{ name: 'New Dead Letters', value: 'newEntries', description: 'One item per new entry, each announced once' },
				{ name: 'Depth Crossings', value: 'depth', description: 'One item when a queue crosses the warning or critical depth, and when it recovers' },
			],
			default: ['newEntries', 'depth'],
			required: true,
			description: 'Which events start the workflow',
		},
		{
			displayName: 'Queue',
			name: 'queueFilter',
			type: 'string',
			default: '',
			placeholder: 'crm-upsert',
			description: 'Only this queue; empty: every queue',
		},
		{
			displayName: 'Warning at Depth',
			name: 'warningDepth',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 1,
			description: 'A queue with at least this many open records (new or being replayed) is at warning level; 1: any dead letter warns',
			displayOptions: depth,
		},
		{
			displayName: 'Critical Above Depth',
			name: 'criticalAbove',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'A queue with more open records than this is critical',
			displayOptions: depth,
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add option',
			default: {},
			options: [
				{
					displayName: 'Announce Existing on First Poll',
					name: 'emitExisting',
					type: 'boolean',
					default: false,
					description: 'Whether the first poll after activation announces entries already there (within the look-back window) instead of starting from now',
				},
				{
					displayName: 'Look Back (Minutes)',
					name: 'lookbackMinutes',
					type: 'number',
					typeOptions: { minValue: 1 },
					default: 15,
					description: 'How far back each poll looks for entries not announced yet; keep it above the poll interval',
				},
				{
					displayName: 'Max Entries per Poll',
					name: 'maxPerPoll',
					type: 'number',
					typeOptions: { minValue: 1, maxValue: 1000 },
					default: 100,
					description: 'More new entries than this are announced by the next polls',
				},
				{
					displayName: 'Report Recoveries',
					name: 'reportRecoveries',
					type: 'boolean',
					default: true,
					description: 'Whether a queue falling back below the warning depth (to "ok") starts the workflow too',
				},
			],
		},
	],
};
