// Write: every item becomes (or returns to) an entry and passes through with its dead-letter id in json.deadLetter.
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { ConfigError } from '../../shared/configError';
import { failureReportOf, inputErrorText, plainDraft, replayLinkOf, reportDraft, storedDeadLetterId, writtenFacts, type ItemOrigin } from '../../shared/deadLetterItem';
import { itemScrubOptions } from '../../shared/inputSecrets';
import { eachItem, param, queueParam, text, withFacts, type OpContext } from './common';
import { alsoMask, maskNotice, maskOptions } from './mask.properties';

const show = { show: { operation: ['write'] } };

export const CLASSES = ['permanent', 'transient', 'quota-wait', 'ambiguous', 'conflict', 'partial', 'refresh-auth'];
/**
 * A class as typed or picked: the editor's labels ("Quota Wait", "Transient") are accepted and mean their value; an
 * unknown class stops the node naming the parameter, since a filter on it would match nothing, silently.
 */
export function deadLetterClass(raw: unknown, parameter: string, extra: string[] = []): string {
	const typed = String(raw ?? '').trim();
	const c = typed.toLowerCase().replace(/[\s_]+/g, '-');
	if (!CLASSES.includes(c) && !extra.includes(c)) throw new ConfigError(parameter, `Unknown class "${typed}": use ${[...CLASSES, ...extra].join(', ')}`);
	return c;
}

/** "quota-wait" → "Quota Wait", sorted by name as n8n lists options. */
export const CLASS_OPTIONS = CLASSES.map((c) => ({ name: c.replace(/(^|-)(\w)/g, (_m, d: string, ch: string) => (d ? ' ' : '') + ch.toUpperCase()), value: c })).sort((a, b) => (a.name < b.name ? -1 : 1));

export const description: INodeProperties[] = [
	{
		displayName:
			'A Failed item of Resilient HTTP (it carries json.resilience) becomes a full entry: item, request, classification and every attempt. Any other item becomes an entry with the reason below. A replayed item (it carries json.deadLetter from a Replay) returns to its entry instead of making a second one. Items pass through with the entry ID in their deadLetter field.',
		name: 'writeNotice',
		type: 'notice',
		default: '',
		displayOptions: show,
	},
	{
		displayName: maskNotice,
		name: 'maskNotice',
		type: 'notice',
		default: '',
		displayOptions: show,
	},
	{
		displayName: 'Queue',
		name: 'queue',
		type: 'string',
		default: 'default',
		required: true,
		placeholder: 'crm-upsert',
		description: 'Which dead-letter queue the item goes to, e.g. the step that failed; an expression may choose it per item. No spaces or braces.',
		displayOptions: show,
	},
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		default: '',
		placeholder: '={{ $json.error.message }}',
		description: 'Why the record is dead-lettered, for items without a Resilient HTTP report. Empty: the item\'s error field (n8n\'s continue-on-fail output), if it has one.',
		displayOptions: show,
	},
	{
		displayName: 'Options',
		name: 'writeOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Class',
				name: 'class',
				type: 'options',
				options: CLASS_OPTIONS,
				default: 'permanent',
				description: 'How an item without a Resilient HTTP report is classified (a report brings its own class)',
			},
			{
				displayName: 'Not Before',
				name: 'retryAt',
				type: 'string',
				default: '',
				placeholder: '={{ $now.plus(1, "hour").toISO() }}',
				description: 'ISO time before which Replay does not take the entry (a report\'s retryAt is used otherwise)',
			},
			...maskOptions,
		],
	},
];

function plainReason(ctx: IExecuteFunctions, i: number, input: IDataObject): string {
	const reason = text(ctx, 'reason', i) || inputErrorText(input);
	if (!reason) throw new ConfigError('reason', 'Reason is empty and the item has neither a Resilient HTTP report (json.resilience) nor an error field');
	return reason;
}

function retryAtOf(ctx: IExecuteFunctions, i: number): string | undefined {
	const raw = (param<IDataObject>(ctx, 'writeOptions', i, {}).retryAt ?? '') as unknown;
	const s = raw instanceof Date ? raw.toISOString() : String(raw ?? '').trim();
	if (!s) return undefined;
	if (Number.isNaN(Date.parse(s))) throw new ConfigError('writeOptions.retryAt', `"${s}" is not a date; use an ISO time such as 2026-01-31T09:00:00Z`);
	return new Date(s).toISOString();
}

function classOf(ctx: IExecuteFunctions, i: number): string {
	return deadLetterClass(param<IDataObject>(ctx, 'writeOptions', i, {}).class || 'permanent', 'writeOptions.class');
}

export async function execute(ctx: IExecuteFunctions, o: OpContext): Promise<INodeExecutionData[][]> {
	const wf = ctx.getWorkflow();
	const source = (() => {
		try {
			return ctx.getInputSourceData(0)?.previousNode;
		} catch {
			return undefined;
		}
	})();
	return await eachItem(ctx, o.built, async (i, input) => {
		const queue = queueParam(ctx, 'queue', i, true) as string;
		// Resilient HTTP already stored this Failed item (its dead-letter switch): a second write would duplicate it.
		const already = storedDeadLetterId(input);
		if (already) {
			const e = await o.built.store.get(already);
			if (e) return [withFacts(input, { id: e.id, queue: e.queue, status: e.status, created: false, alreadyStored: true, store: o.built.info() })];
		}
		const origin: ItemOrigin = {
			workflowId: wf.id === undefined ? undefined : String(wf.id),
			workflowName: wf.name,
			executionId: String(ctx.getExecutionId() ?? ''),
			node: source ?? ctx.getNode().name,
			// Its position in the batch this node received: n8n does not hand input items' origin positions to nodes reliably.
			itemIndex: i,
		};
		const report = failureReportOf(input);
		const retryAt = retryAtOf(ctx, i);
		// Resilient HTTP chose the headers it reports; any other item's header objects are someone else's (token-looking values masked).
		const scrub = itemScrubOptions(input, alsoMask(ctx, i), !report);
		const draft = report
			? reportDraft(input, retryAt ? { ...report, retryAt } : report, queue, origin, {}, scrub)
			: plainDraft(input, { queue, reason: plainReason(ctx, i, input), class: classOf(ctx, i), retryAt }, origin, scrub);
		const r = await o.built.store.write(draft, { replayOf: replayLinkOf(input) });
		return [withFacts(input, { ...writtenFacts(r), store: o.built.info() }, scrub)];
	});
}
