import { it } from 'node:test';
import assert from 'node:assert/strict';
import { EmbeddedIdempotencyLedger, ledgerNamespace } from '../../../src/idempotency';
import { createEmbeddedCache } from '../../../src/store';

it('keys are per workflow by default, or in a named global scope shared across workflows', async () => {
	assert.equal(ledgerNamespace({ scope: 'workflow', workflowId: 'Abc12' }), 'wf:Abc12');
	assert.equal(ledgerNamespace({ scope: 'global' }), 'global');
	assert.equal(ledgerNamespace({ scope: 'global', name: ' stripe-events ' }), 'global:stripe-events');
	assert.throws(() => ledgerNamespace({ scope: 'workflow' }), /workflow id/);
	assert.throws(() => ledgerNamespace({ scope: 'global', name: 'a b' }), /only letters/);

	const cache = createEmbeddedCache(100);
	const at = (s: Parameters<typeof ledgerNamespace>[0]) => new EmbeddedIdempotencyLedger({ cache, namespace: ledgerNamespace(s) });
	await at({ scope: 'global', name: 'stripe-events' }).claim('evt_1', { owner: 'wf-A' });
	assert.equal((await at({ scope: 'global', name: 'stripe-events' }).claim('evt_1', { owner: 'wf-B' })).status, 'in-progress', 'shared by name');
	assert.equal((await at({ scope: 'global', name: 'other' }).claim('evt_1', { owner: 'wf-B' })).status, 'new');
	assert.equal((await at({ scope: 'workflow', workflowId: 'B' }).claim('evt_1', { owner: 'wf-B' })).status, 'new');
});
