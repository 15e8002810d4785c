// Stats: per queue, how many records wait (depth), how old the oldest is, the alert level, and counts per status.
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { DEFAULT_DEPTH_THRESHOLDS, levelOf, type QueueStats } from '../../../src/deadletter';
import { emptyQueueStats } from '../../../src/deadletter/logic';
import { eachItem, queueParam, type OpContext } from './common';
import { filterProperties } from './filter.properties';

// Only the queue part of the filter applies to stats.
export const description = filterProperties({ operation: ['stats'] }, { status: false }).filter((p) => p.name === 'queueFilter');

/** "2 h 5 min", "40 s": how long the oldest record has waited, for a message a person reads. */
export function humanAge(ms: number | undefined): string | undefined {
	if (ms === undefined) return undefined;
	const s = Math.floor(ms / 1000);
	if (s < 60) return `${s} s`;
	const m = Math.floor(s / 60);
	if (m < 60) return `${m} min`;
	const h = Math.floor(m / 60);
	return h < 48 ? `${h} h ${m % 60} min` : `${Math.floor(h / 24)} d ${h % 24} h`;
}

export function queueJson(q: QueueStats, now: number): IDataObject {
	const json: IDataObject = {
		queue: q.queue,
		depth: q.depth,
		level: levelOf(q.depth, DEFAULT_DEPTH_THRESHOLDS),
		oldestOpenAgeMs: q.oldestOpenAgeMs ?? null,
		measuredAt: new Date(now).toISOString(),
		byStatus: q.byStatus as unknown as IDataObject,
	};
	const age = humanAge(q.oldestOpenAgeMs);
	if (age) json.oldestOpenAge = age;
	return json;
}

export async function execute(ctx: IExecuteFunctions, o: OpContext): Promise<INodeExecutionData[][]> {
	return await eachItem(ctx, o.built, async (i) => {
		const queue = queueParam(ctx, 'queueFilter', i, false);
		const s = await o.built.store.stats(queue);
		// An empty store still answers, so a schedule → stats → IF alert sees "0 waiting" rather than no item.
		if (!s.queues.length) return [{ ...queueJson(emptyQueueStats(queue ?? ''), s.now), queue: queue ?? null, store: o.built.info() }];
		return s.queues.map((q) => ({ ...queueJson(q, s.now), store: o.built.info() }));
	});
}
