// Where one item goes: Success (response, duplicate from the ledger, resolved conflict) or Failed (report under resilience).
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { ExecutionResult, RequestFacts } from '../../../src/types';
import { duplicateJson, guardStopReport, resolveConflict, resolvedConflictJson, type GuardedItem } from '../../shared/idempotencyGuard';
import { buildReport, failedItem, successItem, type ResilienceReport } from '../../shared/output';
import type { ResponseFormat } from '../../shared/params';
import type { Guard } from './guard';

export interface RouteInput {
	input: IDataObject;
	i: number;
	facts: RequestFacts;
	format: ResponseFormat;
	result: ExecutionResult | undefined;
	guarded?: GuardedItem;
	treatConflictAsResolved: boolean;
	guard?: Guard;
	/** The breaker's part of a Failed item's report (only when a request was attempted). */
	breakerReport?: () => IDataObject;
	/** The rate limiter's part: its bucket, waits and why it held the item back. */
	rateLimitReport?: () => IDataObject | undefined;
	/** Literal secrets this item sent, scrubbed from its Failed report wherever a server echoed them. */
	secrets?: readonly string[];
}

export type Routed = { output: 'success' | 'failed'; item: INodeExecutionData };

function guardReport(g: GuardedItem | undefined, guard: Guard | undefined): IDataObject | undefined {
	if (!guard) return undefined;
	const r: IDataObject = { store: guard.info() };
	if (g?.status === 'executed') {
		r.settled = g.action === 'complete' ? 'completed' : g.action === 'release' ? 'released' : 'kept until the lease ends';
		r.claim = g.attempt;
		if (g.tookOver) r.tookOver = g.tookOver as unknown as IDataObject;
		if (g.warning) r.warning = g.warning;
	}
	return r;
}

export function routeItem(o: RouteInput): Routed {
	const { method, url, idempotencyKey } = o.facts;
	const g = o.guarded;
	const pairedItem = { item: o.i };
	if (g?.status === 'duplicate') return { output: 'success', item: { json: duplicateJson(idempotencyKey ?? '', g), pairedItem } };
	if (g && g.status !== 'executed') {
		const report = { ...guardStopReport(idempotencyKey ?? '', g, { method, url }), idempotency: guardReport(g, o.guard) };
		return { output: 'failed', item: failedItem(o.input, report as unknown as ResilienceReport, o.i, o.secrets) };
	}
	const result = o.result as ExecutionResult;
	const warning = g?.status === 'executed' ? g.warning : undefined;
	if (result.outcome === 'success') {
		const item = successItem(result, o.format, o.i);
		if (warning) item.json.idempotency = { warning };
		// The write's answer was lost and a lookup found it applied: the item carries the lookup's answer, marked so.
		if (result.reconciled) item.json.reconciled = { lookups: result.reconciled.tries, reason: 'the write\'s answer was lost; a lookup found it applied' };
		return { output: 'success', item };
	}
	const resolution = g?.status === 'executed' ? g.resolution : resolveConflict(result, o.treatConflictAsResolved);
	if (resolution.resolved) {
		const json = resolvedConflictJson(result, resolution);
		if (warning) json.idempotency = { warning };
		return { output: 'success', item: { json, pairedItem } };
	}
	const report = buildReport(result, { method, url, idempotencyKey }) as ResilienceReport & { idempotency?: IDataObject };
	if (o.breakerReport) report.breaker = o.breakerReport();
	const rateLimit = o.rateLimitReport?.();
	if (rateLimit) report.rateLimit = rateLimit;
	const idem = guardReport(g, o.guard);
	if (idem) report.idempotency = idem;
	return { output: 'failed', item: failedItem(o.input, report, o.i, o.secrets) };
}
