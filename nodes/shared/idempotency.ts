// An item's idempotency key: computed once per item, so every attempt of that item sends the same value.
import { createHash } from 'node:crypto';

import type { IdempotencyMode, RequestSpec } from './params';

export interface KeyContext {
	workflowId: string;
	nodeName: string;
	item: unknown;
}

function stable(value: unknown): string {
	if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
	if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
	const o = value as Record<string, unknown>;
	return `{${Object.keys(o)
		.sort()
		.map((k) => `${JSON.stringify(k)}:${stable(o[k])}`)
		.join(',')}}`;
}

/** A UUID-shaped SHA-256 of workflow, node, request and item: the same logical request gets the same key on a re-run. */
export function autoIdempotencyKey(ctx: KeyContext, request: RequestSpec): string {
	const h = createHash('sha256')
		.update(stable([ctx.workflowId, ctx.nodeName, request.method, request.url, request.qs, request.body ?? '', ctx.item]))
		.digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function idempotencyKeyFor(
	mode: IdempotencyMode,
	custom: string | undefined,
	ctx: KeyContext,
	request: RequestSpec,
): string | undefined {
	if (mode === 'custom') return custom;
	if (mode === 'auto') return autoIdempotencyKey(ctx, request);
	return undefined;
}
