// Resilient HTTP's dead-letter switch for one execution: each Failed item is written (a replayed one returns to its
// entry) and says where on resilience.deadLetter; a refused write stays visible on the item, which leaves on Failed anyway.
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { redactHeaders, scrubSecrets } from '../../../src';
import { validateQueue } from '../../../src/deadletter/logic';
import { ConfigError } from '../../shared/configError';
import { failureReportOf, replayLinkOf, reportDraft, writtenFacts } from '../../shared/deadLetterItem';
import { buildDeadLetterStore, parseDeadLetterSettings, type BuiltDeadLetters, type DeadLetterSettings } from '../../shared/deadLetterStore';
import { asConfigError, configMessage } from '../../shared/errors';
import { mapWithConcurrency } from '../../shared/pool';

/** One Failed item, with what was sent for it (when its parameters were valid). */
export interface FailedForDeadLetter {
	i: number;
	input: IDataObject;
	item: INodeExecutionData;
	request?: { headers: Record<string, string>; body?: string };
	secrets: readonly string[];
}

export interface DeadLetters {
	/** The item's queue; throws a ConfigError naming deadLetterQueue for a name the store would refuse. */
	queueFor(i: number): string;
	writeAll(failed: FailedForDeadLetter[], concurrency: number): Promise<void>;
}

/** "Same as State Backend" follows the breaker/guard backend: embedded state → static data, Redis → Redis. */
export function deadLetterSettingsOf(raw: { backend?: unknown; stateBackend?: unknown; onUnreachable?: unknown }): DeadLetterSettings {
	const backend = String(raw.backend ?? 'state');
	if (backend !== 'state' && backend !== 'postgres') throw new ConfigError('deadLetterBackend', `Unknown dead-letter backend "${backend}"`);
	const resolved = backend === 'postgres' ? 'postgres' : String(raw.stateBackend ?? 'embedded') === 'redis' ? 'redis' : 'staticData';
	return parseDeadLetterSettings({ backend: resolved, onUnreachable: raw.onUnreachable }, 'deadLetterBackend');
}

const scrub = (v: string, secrets: readonly string[]) => scrubSecrets(v, secrets);

/** The item's dead-letter queue, validated as every store validates it; a bad name names deadLetterQueue. */
function queueOf(ctx: IExecuteFunctions, i: number): string {
	let queue: string;
	try {
		queue = validateQueue(String(ctx.getNodeParameter('deadLetterQueue', i, 'default') ?? '').trim());
	} catch (e) {
		throw asConfigError(e, 'deadLetterQueue');
	}
	return queue;
}

async function writeOne(ctx: IExecuteFunctions, built: BuiltDeadLetters, f: FailedForDeadLetter): Promise<IDataObject> {
	const report = failureReportOf(f.item.json);
	if (!report) throw new Error('the Failed item has no resilience report');
	const queue = queueOf(ctx, f.i);
	const wf = ctx.getWorkflow();
	const headers = f.request ? Object.fromEntries(Object.entries(redactHeaders(f.request.headers)).map(([k, v]) => [k, scrub(v, f.secrets)])) : undefined;
	const body = f.request?.body === undefined ? undefined : scrub(f.request.body, f.secrets);
	const draft = reportDraft(f.input, report, queue, {
		workflowId: wf.id === undefined ? undefined : String(wf.id),
		workflowName: wf.name,
		executionId: String(ctx.getExecutionId() ?? ''),
		node: ctx.getNode().name,
		itemIndex: f.i,
	}, { headers, body });
	const r = await built.store.write(draft, { replayOf: replayLinkOf(f.input) });
	return { ...writtenFacts(r), stored: true };
}

export async function openDeadLetters(ctx: IExecuteFunctions): Promise<DeadLetters> {
	const settings = deadLetterSettingsOf({
		backend: ctx.getNodeParameter('deadLetterBackend', 0, 'state'),
		stateBackend: ctx.getNodeParameter('stateBackend', 0, 'embedded'),
		onUnreachable: ctx.getNodeParameter('deadLetterOnUnreachable', 0, 'fail'),
	});
	const built = await buildDeadLetterStore(ctx, settings);
	return {
		queueFor: (i) => queueOf(ctx, i),
		async writeAll(failed, concurrency) {
			if (!failed.length) return;
			const drained = await built.drain();
			let refused = 0;
			await mapWithConcurrency(failed.length, concurrency, async (n) => {
				const f = failed[n];
				let facts: IDataObject;
				try {
					facts = await writeOne(ctx, built, f);
				} catch (e) {
					refused++;
					const error = e instanceof ConfigError ? configMessage(e, f.i) : built.explain(e);
					facts = { stored: false, error: scrub(error, f.secrets) };
				}
				const resilience = f.item.json.resilience as IDataObject;
				resilience.deadLetter = { ...facts, store: built.info() };
			});
			const info = built.info();
			const hints = [info.warning, drained, refused ? `${refused} Failed item(s) could not be dead-lettered (resilience.deadLetter.error says why); they are on Failed only` : undefined];
			for (const message of hints.filter((m): m is string => !!m)) ctx.addExecutionHints({ message, type: 'warning', location: 'outputPane' });
			if (info.backend === 'staticData' && ctx.getMode() === 'manual') {
				ctx.addExecutionHints({ message: 'Manual run: n8n does not save static data, so the dead letters this run wrote to workflow static data are gone after it', type: 'info', location: 'outputPane' });
			}
		},
	};
}
