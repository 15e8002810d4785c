import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EmbeddedIdempotencyLedger, IdempotencyGuard } from '../../../src/idempotency';
import { createEmbeddedCache } from '../../../src/store';

function setup() {
	let now = 1_790_000_000_000;
	const ledger = new EmbeddedIdempotencyLedger({ cache: createEmbeddedCache(100), clock: { now: () => now }, namespace: 'wf:guard' });
	return { ledger, advance: (ms: number) => (now += ms) };
}

describe('IdempotencyGuard.once', () => {
	it('runs the side effect once; a rerun gets the stored result without running it', async () => {
		const { ledger } = setup();
		let calls = 0;
		const effect = async () => ({ id: `deal-${++calls}`, raw: 'big body' });
		const first = await new IdempotencyGuard({ ledger, owner: 'run-1' }).once('lead-7:crm', effect, { keep: (v) => ({ id: v.id }) });
		assert.ok(first.status === 'done' && first.value.id === 'deal-1' && first.completion.status === 'completed');
		const rerun = await new IdempotencyGuard({ ledger, owner: 'run-2' }).once('lead-7:crm', effect);
		assert.deepEqual(rerun.status === 'duplicate' && rerun.result, { id: 'deal-1' });
		assert.equal(calls, 1);
	});

	it('a failed side effect releases the key, so the next run does it (a failure is never recorded as done)', async () => {
		const { ledger } = setup();
		const guard = new IdempotencyGuard({ ledger, owner: 'run-1' });
		await assert.rejects(guard.once('evt_E2', async () => Promise.reject(new Error('HTTP 500'))), /HTTP 500/);
		assert.equal((await ledger.check('evt_E2')).state, 'released');
		const second = await new IdempotencyGuard({ ledger, owner: 'run-2' }).once('evt_E2', async () => 'marked paid');
		assert.ok(second.status === 'done' && second.attempt === 2);
	});

	it('onError "keep" holds the key until the lease ends (an ambiguous outcome must not be redone at once)', async () => {
		const { ledger, advance } = setup();
		const guard = new IdempotencyGuard({ ledger, owner: 'run-1', leaseMs: 30_000 });
		await assert.rejects(guard.once('k', async () => Promise.reject(new Error('timeout after send')), { onError: () => 'keep' }));
		assert.equal((await new IdempotencyGuard({ ledger, owner: 'run-2' }).once('k', async () => 1)).status, 'in-progress');
		advance(30_000);
		const later = await new IdempotencyGuard({ ledger, owner: 'run-3' }).once('k', async () => 1);
		assert.ok(later.status === 'done' && later.tookOver?.previousOwner === 'run-1');
	});

	it('reports a conflict for the same key with another payload, without running anything', async () => {
		const { ledger } = setup();
		await new IdempotencyGuard({ ledger }).once('pay', async () => 1, { fingerprint: 'a' });
		let ran = false;
		const r = await new IdempotencyGuard({ ledger }).once('pay', async () => (ran = true), { fingerprint: 'b' });
		assert.deepEqual([r.status, ran], ['conflict', false]);
	});
});
