// One poll: new entries since the last poll (each once) and depth crossings, remembered in the node's static data.
import { NodeOperationError, type IDataObject, type INodeExecutionData, type IPollFunctions } from 'n8n-workflow';

import { depthCrossings, pollNewEntries, type AlertLevel, type DepthThresholds, type PollState } from '../../../src/deadletter';
import { validateQueue } from '../../../src/deadletter/logic';
import { ConfigError, isConfigError } from '../../shared/configError';
import { asConfigError, messageOf } from '../../shared/errors';
import { buildDeadLetterStore, parseDeadLetterSettings, type BuiltDeadLetters } from '../../shared/deadLetterStore';
import { depthJson, newEntryJson } from './events';

interface TriggerConfig {
	backend: string;
	events: string[];
	queue?: string;
	thresholds: DepthThresholds;
	lookbackMs: number;
	maxPerPoll: number;
	emitExisting: boolean;
	reportRecoveries: boolean;
}

/** What the node remembers between polls; `source` resets it when the backend or queue changes. */
interface TriggerMemory {
	source?: string;
	poll?: PollState;
	levels?: Record<string, AlertLevel>;
}

function whole(v: unknown, fallback: number, min: number, name: string): number {
	const n = v === undefined || v === '' ? fallback : Number(v);
	if (!Number.isInteger(n) || n < min) throw new ConfigError(name, `${String(v)} is not a whole number ≥ ${min}`);
	return n;
}

export function readConfig(ctx: IPollFunctions): TriggerConfig {
	const p = (name: string, fallback: unknown) => ctx.getNodeParameter(name, fallback) as unknown;
	const events = (p('events', ['newEntries', 'depth']) as string[]) ?? [];
	if (!events.length) throw new ConfigError('events', 'Choose at least one event to trigger on');
	const rawQueue = String(p('queueFilter', '') ?? '').trim();
	let queue: string | undefined;
	try {
		queue = rawQueue ? validateQueue(rawQueue) : undefined;
	} catch (e) {
		throw asConfigError(e, 'queueFilter');
	}
	const warning = whole(p('warningDepth', 1), 1, 1, 'warningDepth');
	const critical = whole(p('criticalAbove', 50), 50, 1, 'criticalAbove') + 1;
	if (critical <= warning) throw new ConfigError('criticalAbove', `Critical Above Depth (${critical - 1}) must be at least Warning at Depth (${warning})`);
	const o = (p('options', {}) as IDataObject) ?? {};
	// The poller's static data is a stale copy of the workflow's (see the node's notice): it cannot watch entries kept there.
	if (String(p('backend', 'postgres')) === 'staticData') throw new ConfigError('backend', 'The Dead Letter Trigger watches Redis or PostgreSQL, not workflow static data');
	return {
		backend: String(p('backend', 'postgres')),
		events,
		queue,
		thresholds: { warning, critical },
		lookbackMs: whole(o.lookbackMinutes, 15, 1, 'options.lookbackMinutes') * 60_000,
		maxPerPoll: whole(o.maxPerPoll, 100, 1, 'options.maxPerPoll'),
		emitExisting: o.emitExisting === true,
		reportRecoveries: o.reportRecoveries !== false,
	};
}

async function collect(built: BuiltDeadLetters, c: TriggerConfig, mem: TriggerMemory, manual: boolean): Promise<IDataObject[]> {
	const out: IDataObject[] = [];
	if (c.events.includes('newEntries')) {
		// A manual "fetch test event" shows the latest entries and changes nothing the live poll remembers.
		const r = await pollNewEntries(built.store, manual ? undefined : mem.poll, {
			queue: c.queue,
			lookbackMs: c.lookbackMs,
			limit: manual ? 5 : c.maxPerPoll,
			emitExisting: manual || c.emitExisting,
		});
		if (!manual) mem.poll = r.state;
		out.push(...r.entries.map(newEntryJson));
	}
	if (c.events.includes('depth')) {
		const stats = await built.store.stats(c.queue);
		const { crossings, levels } = depthCrossings(stats, manual ? {} : (mem.levels ?? {}), c.thresholds);
		if (!manual) mem.levels = levels;
		out.push(...crossings.filter((x) => c.reportRecoveries || x.to !== 'ok').map((x) => depthJson(x, c.thresholds)));
	}
	return out;
}

export async function poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const node = this.getNode();
	let built: BuiltDeadLetters | undefined;
	try {
		const c = readConfig(this);
		built = await buildDeadLetterStore(this, parseDeadLetterSettings({ backend: c.backend, onUnreachable: 'fail' }));
		const data = this.getWorkflowStaticData('node');
		const source = JSON.stringify([c.backend, c.queue ?? '']);
		// Copy out of n8n's static-data proxy, change the copy, assign it back: marks the data changed for saving.
		const mem = JSON.parse(JSON.stringify(data.deadLetterTrigger ?? {})) as TriggerMemory;
		const fresh = mem.source === source ? mem : { source };
		const manual = this.getMode() === 'manual';
		const items = await collect(built, c, fresh, manual);
		if (!manual) data.deadLetterTrigger = fresh as unknown as IDataObject;
		return items.length ? [this.helpers.returnJsonArray(items)] : null;
	} catch (e) {
		if (isConfigError(e)) {
			throw new NodeOperationError(node, `Parameter "${e.parameter}": ${e.message}`, { description: `Fix the "${e.parameter}" parameter of the Dead Letter Trigger node.` });
		}
		throw new NodeOperationError(node, built ? built.explain(e) : messageOf(e));
	}
}
