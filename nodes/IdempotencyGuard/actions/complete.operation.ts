// Complete: stores the item (or chosen fields) as the key's result, so later claims of the key get it back.
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readPath } from '../../../src/idempotency';
import { ConfigError } from '../../shared/configError';
import { claimOfItem, eachItem, iso, splitFields, type OpContext } from './common';

export const description: INodeProperties[] = [
	{
		displayName: 'Store',
		name: 'storeAs',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'The Whole Item', value: 'item', description: 'What reaches this node, e.g. the API\'s response' },
			{ name: 'Chosen Fields', value: 'fields', description: 'Only what later steps need (e.g. the created record\'s ID); results are limited to 256 KB' },
		],
		default: 'item',
		description: 'What a later claim of the same key gets back as idempotency.result',
		displayOptions: { show: { operation: ['complete'] } },
	},
	{
		displayName: 'Fields',
		name: 'resultFields',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'contactId, properties.email',
		description: 'Comma-separated fields to store (dots for nested)',
		displayOptions: { show: { operation: ['complete'], storeAs: ['fields'] } },
	},
];

function resultOf(ctx: IExecuteFunctions, i: number, input: IDataObject, field: string): IDataObject {
	const rest = { ...input };
	delete rest[field];
	if (ctx.getNodeParameter('storeAs', i, 'item') !== 'fields') return rest;
	const fields = splitFields(ctx.getNodeParameter('resultFields', i, ''));
	if (fields.length === 0) throw new ConfigError('resultFields', 'Choose at least one field to store');
	return Object.fromEntries(fields.map((f) => [f, (readPath(rest, f) ?? null) as IDataObject]));
}

export async function execute(ctx: IExecuteFunctions, o: OpContext): Promise<INodeExecutionData[][]> {
	return await eachItem(ctx, { outputs: 1, errorOutput: 0, built: o.built, field: o.field }, async (i, input) => {
		const { key, owner } = claimOfItem(ctx, i);
		const result = resultOf(ctx, i, input, o.field);
		const r = await o.built.ledger.complete(key, owner, result, o.ttlMs);
		if (r.status === 'completed') {
			const facts: IDataObject = { key, status: 'completed', result, completedAt: iso(r.completedAt), expiresAt: iso(r.expiresAt) };
			if (r.alreadyCompleted) facts.alreadyCompleted = true;
			return { output: 0, facts };
		}
		const why =
			r.reason === 'not-owner'
				? 'another execution holds or finished this key (this claim\'s lease ran out and it was taken over)'
				: r.reason === 'already-completed'
					? 'the key was already completed by another claim'
					: 'there is no live claim for this key (never claimed, released, or forgotten)';
		return { output: 0, facts: { key, status: 'rejected', reason: r.reason, warning: `Result not stored: ${why}` } };
	});
}
