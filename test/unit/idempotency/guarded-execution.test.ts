import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ExecutionResult, Outcome } from '../../../src';
import { DEFAULT_SETTLE, EmbeddedIdempotencyLedger, executeGuarded, storedResponse } from '../../../src/idempotency';
import { createEmbeddedCache } from '../../../src/store';

const result = (outcome: Outcome, status = 200, body = '{"id":"1"}'): ExecutionResult => ({
	outcome,
	attempts: [],
	warnings: [],
	last: { kind: 'response', response: { status, headers: { 'set-cookie': 'secret' }, body } },
});

describe('executeGuarded settles by outcome', () => {
	const ledger = () => new EmbeddedIdempotencyLedger({ cache: createEmbeddedCache(100), namespace: 'wf:settle' });

	it('every outcome has an action; unknown outcome keeps the key claimed, nothing applied frees it', async () => {
		for (const [outcome, action] of Object.entries(DEFAULT_SETTLE) as Array<[Outcome, string]>) {
			const l = ledger();
			const r = await executeGuarded({ ledger: l, key: 'k', owner: 'A', run: async () => result(outcome) });
			assert.ok(r.status === 'executed' && r.action === action, outcome);
			const expected = { complete: 'completed', release: 'released', keep: 'in-progress' }[action];
			assert.equal((await l.check('k')).state, expected, outcome);
		}
		assert.equal(DEFAULT_SETTLE.ambiguous, 'keep');
		assert.equal(DEFAULT_SETTLE['failed-permanent'], 'release');
	});

	it('the caller can override an action, and a thrown run releases the key', async () => {
		const l = ledger();
		const r = await executeGuarded({ ledger: l, key: 'k', owner: 'A', run: async () => result('ambiguous'), settle: { ambiguous: 'release' } });
		assert.ok(r.status === 'executed' && r.action === 'release');
		await assert.rejects(executeGuarded({ ledger: l, key: 'k2', owner: 'A', run: async () => Promise.reject(new Error('bug')) }), /bug/);
		assert.equal((await l.check('k2')).state, 'released');
	});

	it('the stored response holds status and body, no headers, large bodies cut', () => {
		assert.deepEqual(storedResponse(result('success')), { outcome: 'success', status: 200, body: { id: '1' } });
		const big = storedResponse(result('success', 200, 'x'.repeat(70_000)));
		assert.deepEqual([(big.body as string).length, big.bodyTruncated], [65_536, true]);
		assert.deepEqual(storedResponse({ outcome: 'circuit-open', attempts: [], warnings: [] }), { outcome: 'circuit-open' });
	});
});
