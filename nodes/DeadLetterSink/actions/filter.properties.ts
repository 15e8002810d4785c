// The entry filter shared by List and by Resolve / Discard "By Filter": queue, class and age (and status for List).
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEAD_LETTER_STATUSES, type DeadLetterFilter, type DeadLetterStatus } from '../../../src/deadletter';
import { ConfigError } from '../../shared/configError';
import { minutes, param, queueParam, text } from './common';
import { deadLetterClass } from './write.operation';

type Show = Record<string, string[]>;

export function filterProperties(show: Show, o: { status: boolean }): INodeProperties[] {
	const displayOptions = { show };
	const props: INodeProperties[] = [
		{
			displayName: 'Queue',
			name: 'queueFilter',
			type: 'string',
			default: '',
			placeholder: 'crm-upsert',
			description: 'Only entries of this queue; empty: every queue',
			displayOptions,
		},
		{
			displayName: 'Class',
			name: 'classFilter',
			type: 'string',
			default: '',
			placeholder: 'transient',
			description: 'Only entries of this failure class: transient, permanent, quota-wait, ambiguous, conflict, partial or refresh-auth ("Quota Wait" works too; an unknown class stops the node); empty: any',
			displayOptions,
		},
		{
			displayName: 'Older Than (Minutes)',
			name: 'olderThanMinutes',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: 'Only entries created at least this long ago (0 = no limit)',
			displayOptions,
		},
		{
			displayName: 'Newer Than (Minutes)',
			name: 'newerThanMinutes',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description: 'Only entries created at most this long ago (0 = no limit)',
			displayOptions,
		},
	];
	if (o.status) {
		props.splice(1, 0, {
			displayName: 'Status',
			name: 'statusFilter',
			type: 'multiOptions',
			options: [
				{ name: 'Discarded', value: 'discarded' },
				{ name: 'New', value: 'new' },
				{ name: 'Requeued (Replay Running)', value: 'requeued' },
				{ name: 'Resolved', value: 'resolved' },
			],
			default: ['new', 'requeued'],
			description: 'Only entries in these states; none chosen: every state',
			displayOptions,
		});
	}
	return props;
}

export function filterOf(ctx: IExecuteFunctions, i: number, withStatus: boolean): DeadLetterFilter {
	const f: DeadLetterFilter = {};
	const queue = queueParam(ctx, 'queueFilter', i, false);
	if (queue) f.queue = queue;
	const cls = text(ctx, 'classFilter', i);
	if (cls) f.class = deadLetterClass(cls, 'classFilter');
	const older = minutes(ctx, 'olderThanMinutes', i);
	const newer = minutes(ctx, 'newerThanMinutes', i);
	if (older) f.minAgeMs = older;
	if (newer) f.maxAgeMs = newer;
	if (older && newer && older > newer) throw new ConfigError('olderThanMinutes', 'Older Than is more than Newer Than: no entry can match');
	if (withStatus) {
		const raw = param<unknown>(ctx, 'statusFilter', i, []);
		const list = (Array.isArray(raw) ? raw : String(raw ?? '').split(',')).map((s) => String(s).trim()).filter(Boolean);
		for (const s of list) if (!DEAD_LETTER_STATUSES.includes(s as DeadLetterStatus)) throw new ConfigError('statusFilter', `Unknown status "${s}": use ${DEAD_LETTER_STATUSES.join(', ')}`);
		if (list.length) f.status = list as DeadLetterStatus[];
	}
	return f;
}
