// Replay: takes up to N due entries of a queue (marked requeued, never handed to two replays) and emits their items.
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { RESENDABLE_CLASSES, replayItemJson } from '../../../src/deadletter';
import { ConfigError } from '../../shared/configError';
import { eachItem, minutes, param, queueParam, wholeNumber, type OpContext } from './common';
import { CLASS_OPTIONS, deadLetterClass } from './write.operation';

const ALL_CLASSES = 'any';

const show = { show: { operation: ['replay'] } };

export const description: INodeProperties[] = [
	{
		displayName:
			'Each entry comes out as its original item plus a deadLetter field (its ID, queue, replayCount, class, reason, and the idempotency key its first request sent, which Resilient HTTP reuses with Idempotency Key: Auto), status requeued. Send it through Resilient HTTP again: on Success close it with Resolve (Entry ID from that field); on Failed write it again (Write, or Resilient HTTP\'s dead-letter switch) and it returns to its entry. Entries with a Not Before (retryAt) in the future wait, and so do entries of classes not chosen below.',
		name: 'replayNotice',
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
		description: 'The dead-letter queue to replay',
		displayOptions: show,
	},
	{
		displayName: 'Replay Classes',
		name: 'replayClasses',
		type: 'multiOptions',
		options: [{ name: 'All Classes', value: ALL_CLASSES }, ...CLASS_OPTIONS],
		default: [...RESENDABLE_CLASSES],
		description:
			'Which failures to send again. The default takes those a resend can fix without a human: transient (5xx, timeouts, exhausted retries, an open circuit), quota wait (deferred to a rate-limit or quota reset) and refresh auth. Left out on purpose: permanent (the same request fails the same way: fix the data first) and ambiguous (a write that may already have been applied: look it up first, or a resend can create a duplicate), as are conflict and partial. Entries of other classes stay new for another replay or a human.',
		displayOptions: show,
	},
	{
		displayName: 'Max Entries per Run',
		name: 'maxEntries',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 1000 },
		default: 100,
		description: 'At most this many entries are taken per run (oldest first); the rest wait for the next run',
		displayOptions: show,
	},
	{
		displayName: 'Options',
		name: 'replayOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Reclaim After (Minutes)',
				name: 'reclaimAfterMinutes',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'Also take entries a replay took this long ago without resolving or failing them again (its execution crashed). 0: never; when set, a record can be sent twice.',
			},
		],
	},
];

/** The chosen classes, or undefined for All Classes; an empty or unknown choice stops the node naming the parameter. */
export function replayClassesOf(ctx: IExecuteFunctions, i: number): string[] | undefined {
	const raw = param<unknown>(ctx, 'replayClasses', i, [...RESENDABLE_CLASSES]);
	const typed = (Array.isArray(raw) ? raw : String(raw ?? '').split(',')).map((c) => String(c).trim()).filter(Boolean);
	if (!typed.length) throw new ConfigError('replayClasses', 'No class chosen: pick the classes to replay, or All Classes');
	const list = typed.map((c) => deadLetterClass(c, 'replayClasses', [ALL_CLASSES]));
	return list.includes(ALL_CLASSES) ? undefined : list;
}

export async function execute(ctx: IExecuteFunctions, o: OpContext): Promise<INodeExecutionData[][]> {
	let masked = 0;
	const result = await eachItem(ctx, o.built, async (i) => {
		const queue = queueParam(ctx, 'queue', i, true);
		const limit = wholeNumber(ctx, 'maxEntries', i, 100, 1, 1000);
		const reclaim = minutes(ctx, 'replayOptions.reclaimAfterMinutes', i);
		const classes = replayClassesOf(ctx, i);
		const entries = await o.built.store.claimDue({ queue, limit, ...(classes ? { classes } : {}), ...(reclaim ? { reclaimAfterMs: reclaim } : {}) });
		return entries.map((e) => {
			const json = replayItemJson(e) as IDataObject;
			const link = json.deadLetter as IDataObject;
			link.status = e.status;
			// Resilient HTTP (Idempotency Key: Auto) sends it again, so the server can tell a repeat from a new write.
			if (e.idempotencyKey) link.idempotencyKey = e.idempotencyKey;
			if (e.redactedItemFields?.length) masked++;
			return json;
		});
	});
	if (masked) {
		ctx.addExecutionHints({
			message: `${masked} replayed item(s) had secret-named fields masked when they were stored (listed in deadLetter.redactedFields): restore them before sending, or they go out as "[redacted]"`,
			type: 'warning',
			location: 'outputPane',
		});
	}
	return result;
}
