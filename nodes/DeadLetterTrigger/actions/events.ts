// The items the trigger emits, each with a message in words an operator reads in Slack or email.
import type { IDataObject } from 'n8n-workflow';

import type { DeadLetterEntry, DepthCrossing, DepthThresholds } from '../../../src/deadletter';
import { entryJson } from '../../shared/deadLetterItem';
import { humanAge } from '../../DeadLetterSink/actions/stats.operation';

export function newEntryJson(e: DeadLetterEntry): IDataObject {
	const c = e.classification;
	const where = [e.workflowName && `workflow "${e.workflowName}"`, e.node && `node "${e.node}"`].filter(Boolean).join(', ');
	const json: IDataObject = {
		event: 'new-entry',
		message: `New dead letter in queue "${e.queue}": ${c.reason}${where ? ` (${where})` : ''}`,
		queue: e.queue,
		id: e.id,
		status: e.status,
		class: String(c.class),
		outcome: String(c.outcome),
		reason: c.reason,
		httpStatus: c.status ?? null,
		attemptCount: e.attemptCount,
		replayCount: e.replayCount,
		createdAt: e.createdAt,
		workflowId: e.workflowId ?? null,
		workflowName: e.workflowName ?? null,
		executionId: e.executionId ?? null,
		node: e.node ?? null,
		entry: entryJson(e),
	};
	if (e.retryAt) json.retryAt = e.retryAt;
	return json;
}

export function depthJson(x: DepthCrossing, t: DepthThresholds): IDataObject {
	const age = humanAge(x.oldestOpenAgeMs);
	const waiting = `${x.depth} record(s) waiting${age ? `, the oldest for ${age}` : ''}`;
	const message =
		x.to === 'critical'
			? `Dead-letter queue "${x.queue}" is CRITICAL: ${waiting} (more than ${t.critical - 1})`
			: x.to === 'warning'
				? `Dead-letter queue "${x.queue}" needs attention: ${waiting}${x.from === 'critical' ? ' (down from critical)' : ''}`
				: `Dead-letter queue "${x.queue}" recovered from ${x.from}: ${x.depth} record(s) waiting`;
	return {
		event: 'depth-crossing',
		message,
		queue: x.queue,
		from: x.from,
		to: x.to,
		level: x.to,
		recovered: x.to === 'ok',
		depth: x.depth,
		oldestOpenAgeMs: x.oldestOpenAgeMs ?? null,
		...(age ? { oldestOpenAge: age } : {}),
		warningDepth: t.warning,
		criticalDepth: t.critical,
	};
}
