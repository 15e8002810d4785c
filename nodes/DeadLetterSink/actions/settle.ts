// Resolve and Discard: close entries by ID (one per item, e.g. after a replay succeeded) or every open one matching a filter.
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { ENTRY_ID_DEFAULT, entryIdOf } from './get.operation';
import { eachItem, param, text, wholeNumber, withFacts, type OpContext } from './common';
import { filterOf, filterProperties } from './filter.properties';

const OPS = ['resolve', 'discard'];
const show = { show: { operation: OPS } };

export const description: INodeProperties[] = [
	{
		displayName: 'Select',
		name: 'target',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'By ID', value: 'id', description: 'The entry each item names, e.g. a replayed item that succeeded' },
			{ name: 'By Filter', value: 'filter', description: 'Every open entry matching the filter, once per input item' },
		],
		default: 'id',
		displayOptions: show,
	},
	{
		displayName: 'Entry ID',
		name: 'entryId',
		type: 'string',
		default: ENTRY_ID_DEFAULT,
		required: true,
		description: 'The dead-letter ID (dl_…): a replayed item carries it in its deadLetter field through Resilient HTTP\'s Success and Failed outputs',
		displayOptions: { show: { operation: OPS, target: ['id'] } },
	},
	...filterProperties({ operation: OPS, target: ['filter'] }, { status: false }),
	{
		displayName: 'Max Entries',
		name: 'settleLimit',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 100_000 },
		default: 1000,
		description: 'At most this many matching entries change per input item',
		displayOptions: { show: { operation: OPS, target: ['filter'] } },
	},
	{
		displayName: 'Note',
		name: 'note',
		type: 'string',
		default: '',
		placeholder: 'Fixed the email and re-sent by hand',
		description: 'Kept on the entry (secrets in it are masked)',
		displayOptions: show,
	},
];

export async function settle(ctx: IExecuteFunctions, o: OpContext, action: 'resolve' | 'discard'): Promise<INodeExecutionData[][]> {
	const to = action === 'resolve' ? 'resolved' : 'discarded';
	let unchanged = 0;
	const result = await eachItem(ctx, o.built, async (i, input) => {
		const note = text(ctx, 'note', i) || undefined;
		const opts = note ? { note } : {};
		if (param<string>(ctx, 'target', i, 'id') === 'filter') {
			const target = { ...filterOf(ctx, i, false), limit: wholeNumber(ctx, 'settleLimit', i, 1000, 1, 100_000) };
			const r = await o.built.store[action](target, opts);
			return [withFacts(input, { action, status: to, changed: r.changed, count: r.changed.length, store: o.built.info() })];
		}
		const id = entryIdOf(ctx, i);
		const r = await o.built.store[action]({ ids: [id] }, opts);
		const facts: IDataObject = { ...((input.deadLetter as IDataObject | undefined) ?? {}), id, action, changed: r.changed.includes(id) };
		if (facts.changed) facts.status = to;
		else {
			unchanged++;
			// Already closed (or unknown): say which, so a double resolve or a wrong id is visible, not silent.
			const e = await o.built.store.get(id);
			facts.status = e ? e.status : 'not-found';
			facts.warning = e ? `Entry ${id} was already ${e.status}; nothing changed` : `No dead letter with ID ${id}; nothing changed`;
		}
		return [withFacts(input, { ...facts, store: o.built.info() })];
	});
	if (unchanged) {
		ctx.addExecutionHints({ message: `${unchanged} item(s) named an entry that was already closed or does not exist (see deadLetter.warning)`, type: 'warning', location: 'outputPane' });
	}
	return result;
}
