// List: entries matching a filter, oldest first, one page (with its cursor) or every page.
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { entryJson } from '../../shared/deadLetterItem';
import { asConfigError } from '../../shared/errors';
import { eachItem, param, text, wholeNumber, type OpContext } from './common';
import { filterOf, filterProperties } from './filter.properties';

const show = { show: { operation: ['list'] } };
const PAGE_MAX = 500;

export const description: INodeProperties[] = [
	...filterProperties({ operation: ['list'] }, { status: true }),
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: show,
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: PAGE_MAX },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { operation: ['list'], returnAll: [false] } },
	},
	{
		displayName: 'Cursor',
		name: 'cursor',
		type: 'string',
		default: '',
		placeholder: '={{ $json.nextCursor }}',
		description: 'Where the page starts: the nextCursor an earlier page\'s items carry; empty: the oldest entry',
		displayOptions: { show: { operation: ['list'], returnAll: [false] } },
	},
];

export async function execute(ctx: IExecuteFunctions, o: OpContext): Promise<INodeExecutionData[][]> {
	return await eachItem(ctx, o.built, async (i) => {
		const filter = filterOf(ctx, i, true);
		const all = param(ctx, 'returnAll', i, false);
		if (!all) {
			const limit = wholeNumber(ctx, 'limit', i, 50, 1, PAGE_MAX);
			const cursor = text(ctx, 'cursor', i) || undefined;
			const page = await o.built.store.list({ ...filter, limit, cursor }).catch((e: unknown) => {
				// The engine names a bad cursor; the user needs to know which parameter it was.
				throw /cursor/i.test(String((e as Error)?.message)) ? asConfigError(e, 'cursor') : e;
			});
			return page.entries.map((e) => ({ ...entryJson(e), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) }) as IDataObject);
		}
		const out: IDataObject[] = [];
		let cursor: string | undefined;
		do {
			const page = await o.built.store.list({ ...filter, limit: PAGE_MAX, cursor });
			out.push(...page.entries.map(entryJson));
			cursor = page.nextCursor;
		} while (cursor);
		return out;
	});
}
