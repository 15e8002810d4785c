// Claim: New items run the side effect now; Duplicate items carry the stored result; the rest are held back visibly.
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { newOwnerToken } from '../../../src/idempotency';
import { eachItem, iso, keyForItem, payloadFingerprint, type OpContext } from './common';

export const OUTPUT_NEW = 0;
export const OUTPUT_DUPLICATE = 1;
export const OUTPUT_HELD = 2;

export const description: INodeProperties[] = [
	{
		displayName:
			'New: run the side effect, then a Complete node (on success) or a Release node (on failure). Duplicate: already done; idempotency.result holds what was stored and firstDoneAt when. In Progress or Conflict: another execution holds the key right now, the same key came with other data, or the item repeats a key earlier in this batch — do not run it; answer "try later" or park it.',
		name: 'claimNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { operation: ['claim'] } },
	},
];

export async function execute(ctx: IExecuteFunctions, o: OpContext, fingerprintFields: string): Promise<INodeExecutionData[][]> {
	const label = `exec-${ctx.getExecutionId() ?? 'none'}`;
	// A key already claimed by an earlier item of this batch: the later item must not also be New.
	const claimedBy = new Map<string, number>();
	return await eachItem(ctx, { outputs: 3, errorOutput: OUTPUT_HELD, built: o.built, field: o.field }, async (i, input) => {
		const key = keyForItem(ctx, i, input);
		const first = claimedBy.get(key);
		if (first !== undefined) {
			return { output: OUTPUT_HELD, facts: { key, status: 'in-progress', sameBatchAs: first, reason: `Item ${first} of this batch already claimed this key` } };
		}
		const owner = newOwnerToken(label);
		const c = await o.built.ledger.claim(key, { owner, leaseMs: o.leaseMs, ttlMs: o.ttlMs, fingerprint: payloadFingerprint(fingerprintFields, input, o.field) });
		if (c.status === 'new') {
			claimedBy.set(key, i);
			const facts: IDataObject = { key, owner, status: 'new', attempt: c.attempt, leaseExpiresAt: iso(c.leaseExpiresAt) };
			if (c.tookOver) facts.tookOver = { leaseExpiredAt: iso(c.tookOver.leaseExpiredAt), note: c.tookOver.note };
			return { output: OUTPUT_NEW, facts };
		}
		if (c.status === 'duplicate') {
			const facts: IDataObject = {
				key,
				status: 'duplicate',
				result: c.result as IDataObject,
				firstDoneAt: iso(c.firstDoneAt),
				completedAt: iso(c.completedAt),
				attempt: c.attempt,
			};
			return { output: OUTPUT_DUPLICATE, facts };
		}
		if (c.status === 'in-progress') {
			const reason = `Another execution holds this key until ${iso(c.leaseExpiresAt)}`;
			return { output: OUTPUT_HELD, facts: { key, status: 'in-progress', leaseExpiresAt: iso(c.leaseExpiresAt), reason } };
		}
		const reason = `This key was ${c.state === 'completed' ? 'done' : 'claimed'} with different data (fingerprint fields differ): not served as a duplicate`;
		return { output: OUTPUT_HELD, facts: { key, status: 'conflict', state: c.state, reason } };
	});
}
