// The node's description: operations, where dead letters live, and each operation's parameters.
import type { INodeTypeDescription } from 'n8n-workflow';

import { deadLetterStoreProperties } from '../../shared/deadLetterProperties';
import * as get from './get.operation';
import * as list from './list.operation';
import * as replay from './replay.operation';
import * as settle from './settle';
import * as stats from './stats.operation';
import * as write from './write.operation';

export const versionDescription: Omit<INodeTypeDescription, 'icon' | 'subtitle' | 'usableAsTool' | 'credentials'> = {
	displayName: 'Dead Letter Sink',
	name: 'deadLetterSink',
	group: ['transform'],
	version: 1,
	description:
		'Keeps records that could not be delivered, with the full reason, until they are replayed, resolved or discarded: write, list, get, replay, resolve, discard and stats',
	defaults: { name: 'Dead Letter Sink' },
	inputs: ['main'],
	outputs: ['main'],
	properties: [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Discard', value: 'discard', action: 'Discard dead letters', description: 'Close entries that will never be delivered' },
				{ name: 'Get', value: 'get', action: 'Get a dead letter', description: 'One entry by ID, with everything it holds' },
				{ name: 'List', value: 'list', action: 'List dead letters', description: 'Entries by queue, status, class and age, page by page' },
				{ name: 'Replay', value: 'replay', action: 'Replay dead letters', description: 'Take due entries of a queue and emit their items again' },
				{ name: 'Resolve', value: 'resolve', action: 'Resolve dead letters', description: 'Close entries that were delivered after all' },
				{ name: 'Stats', value: 'stats', action: 'Get queue statistics', description: 'Depth and oldest age per queue' },
				{ name: 'Write', value: 'write', action: 'Write items to a dead letter queue', description: 'Keep each item with its failure; items pass through with their ID' },
			],
			default: 'write',
		},
		...deadLetterStoreProperties({ unreachable: true, staticData: true }),
		...write.description,
		...list.description,
		...get.description,
		...replay.description,
		...settle.description,
		...stats.description,
	],
};
