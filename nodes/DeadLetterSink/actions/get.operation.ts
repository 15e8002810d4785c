// Get: one entry by id, with everything it holds (item, request, classification, attempts, status, replays).
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { ConfigError } from '../../shared/configError';
import { entryJson } from '../../shared/deadLetterItem';
import { eachItem, text, type OpContext } from './common';

export const ENTRY_ID_DEFAULT = '={{ $json.deadLetter.id }}';

export const description: INodeProperties[] = [
	{
		displayName: 'Entry ID',
		name: 'entryId',
		type: 'string',
		default: ENTRY_ID_DEFAULT,
		required: true,
		description: 'The dead-letter ID (dl_…); written and replayed items carry it in their deadLetter field',
		displayOptions: { show: { operation: ['get'] } },
	},
];

export function entryIdOf(ctx: IExecuteFunctions, i: number): string {
	const id = text(ctx, 'entryId', i);
	if (!id) throw new ConfigError('entryId', 'The entry ID is empty for this item (it has no deadLetter.id?)');
	return id;
}

export async function execute(ctx: IExecuteFunctions, o: OpContext): Promise<INodeExecutionData[][]> {
	return await eachItem(ctx, o.built, async (i) => {
		const id = entryIdOf(ctx, i);
		const e = await o.built.store.get(id);
		if (!e) throw new ConfigError('entryId', `No dead letter with ID "${id}" in ${o.built.info().where ?? 'this store'}`);
		return [entryJson(e)];
	});
}
