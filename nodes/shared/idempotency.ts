// An item's idempotency key: computed once per item, so every attempt of that item sends the same value.
import { createHash } from 'node:crypto';

import { canonicalJson, fingerprint } from '../../src';
import type { IdempotencyMode, RequestSpec } from './params';

export interface KeyContext {
	workflowId: string;
	nodeName: string;
	item: unknown;
}

/** A UUID-shaped SHA-256 of workflow, node, request and item: the same logical request gets the same key on a re-run. */
export function autoIdempotencyKey(ctx: KeyContext, request: RequestSpec): string {
	const h = createHash('sha256')
		.update(canonicalJson([ctx.workflowId, ctx.nodeName, request.method, request.url, request.qs, request.body ?? '', ctx.item]))
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

/** What a key promises the server: this exact request. Two different requests under one key would lose one. */
export function requestFingerprint(request: RequestSpec): string {
	return fingerprint([request.method, request.url, request.qs, request.body ?? '']);
}

/**
 * Items whose key an earlier item of the batch already uses for a different request (e.g. `order-{{ $json.id }}`
 * with the id missing on two items): each maps to that earlier item's index. A server honouring the key would
 * answer the second with the first one's result, silently dropping a record.
 */
export function keyCollisions(items: Array<{ key?: string; fingerprint: string } | undefined>): Map<number, number> {
	const first = new Map<string, { index: number; fingerprint: string }>();
	const collisions = new Map<number, number>();
	items.forEach((it, i) => {
		if (!it?.key) return;
		const seen = first.get(it.key);
		if (!seen) first.set(it.key, { index: i, fingerprint: it.fingerprint });
		else if (seen.fingerprint !== it.fingerprint) collisions.set(i, seen.index);
	});
	return collisions;
}
