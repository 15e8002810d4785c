// The Idempotency Guard node's description and its pure helpers: options, keys, fingerprints, namespaces.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

// The .ts extension is explicit: a bare "….node" specifier resolves to a native addon.
import { IdempotencyGuard } from '../../nodes/IdempotencyGuard/IdempotencyGuard.node.ts';
import { parseGuardOptions } from '../../nodes/IdempotencyGuard/actions/router';
import { payloadFingerprint, splitFields, withFacts } from '../../nodes/IdempotencyGuard/actions/common';
import { LEDGER_STATIC_DATA_NOTICE } from '../../nodes/shared/ledgerProperties';
import { ledgerNamespaceOf } from '../../nodes/shared/ledgerStore';
import { resilienceRedisConnectionTest } from '../../nodes/shared/redisCredentialTest';
import { fingerprint } from '../../src/idempotency';

const d = new IdempotencyGuard().description;
const prop = (name: string) => d.properties.find((p) => p.name === name)!;
const outputsFor = (operation: string) => {
	const expr = String(d.outputs).replace(/^=\{\{|\}\}$/g, '');
	return new Function('$parameter', `return ${expr}`)({ operation }) as { displayName?: string }[];
};

describe('Idempotency Guard description', () => {
	it('is idempotencyGuard with claim (default), complete, release and check', () => {
		assert.equal(d.name, 'idempotencyGuard');
		assert.equal(prop('operation').default, 'claim');
		assert.deepEqual((prop('operation').options as { value: string }[]).map((o) => o.value).sort(), ['check', 'claim', 'complete', 'release']);
	});
	it('claim has New, Duplicate and In Progress or Conflict; the others one output', () => {
		assert.deepEqual(outputsFor('claim').map((o) => o.displayName), ['New', 'Duplicate', 'In Progress or Conflict']);
		for (const op of ['complete', 'release', 'check']) assert.equal(outputsFor(op).length, 1, op);
	});
	it('key from an expression (default) or a hash of fields; complete/release read the claim from $json.idempotency', () => {
		assert.equal(prop('keyMode').default, 'expression');
		assert.deepEqual(prop('keyMode').displayOptions, { show: { operation: ['claim', 'check'] } });
		assert.equal(prop('claimKey').default, '={{ $json.idempotency.key }}');
		assert.equal(prop('claimOwner').default, '={{ $json.idempotency.owner }}');
		assert.equal(prop('storeAs').default, 'item');
	});
	it('TTL 24 h and lease 5 min by default; embedded backend with the static-data notice; Redis behind the tested credential', () => {
		const claimOpts = prop('claimOptions').options as { name: string; default: unknown }[];
		assert.deepEqual(Object.fromEntries(claimOpts.map((o) => [o.name, o.default])), { leaseMinutes: 5, fingerprintFields: '', ttlHours: 24, outputField: 'idempotency' });
		assert.equal(prop('stateBackend').default, 'embedded');
		assert.equal(prop('embeddedLedgerNotice').displayName, LEDGER_STATIC_DATA_NOTICE);
		assert.match(LEDGER_STATIC_DATA_NOTICE, /not after manual test runs/);
		assert.equal(prop('onStoreUnreachable').default, 'fail');
		assert.equal(prop('stateScope').default, 'workflow');
		assert.deepEqual(d.credentials?.map((c) => [c.name, c.testedBy]), [['resilienceRedisApi', 'resilienceRedisConnectionTest']]);
		assert.equal(new IdempotencyGuard().methods.credentialTest.resilienceRedisConnectionTest, resilienceRedisConnectionTest);
	});
});

describe('guard options', () => {
	it('hours and minutes to ms, defaults when absent', () => {
		assert.deepEqual(parseGuardOptions({}, 'claimOptions'), { ttlMs: 86_400_000, leaseMs: 300_000, field: 'idempotency', fingerprintFields: '' });
		const o = parseGuardOptions({ ttlHours: 0.5, leaseMinutes: 2, outputField: 'guard' }, 'claimOptions');
		assert.equal(o.ttlMs, 1_800_000);
		assert.equal(o.leaseMs, 120_000);
		assert.equal(o.field, 'guard');
	});
	it('a bad value names the option', () => {
		assert.throws(() => parseGuardOptions({ ttlHours: 0 }, 'claimOptions'), (e: { parameter?: string }) => e.parameter === 'claimOptions.ttlHours');
		assert.throws(() => parseGuardOptions({ leaseMinutes: -1 }, 'claimOptions'), (e: { parameter?: string }) => e.parameter === 'claimOptions.leaseMinutes');
		assert.throws(() => parseGuardOptions({ outputField: 'a.b' }, 'completeOptions'), (e: { parameter?: string }) => e.parameter === 'completeOptions.outputField');
	});
});

describe('item helpers', () => {
	it('fingerprint: none, chosen fields (order-free), or the whole item without the idempotency field', () => {
		const item = { email: 'a@x.io', amount: 5, idempotency: { key: 'k' } };
		assert.equal(payloadFingerprint('', item, 'idempotency'), undefined);
		assert.equal(payloadFingerprint('amount, email', item, 'idempotency'), payloadFingerprint('email,amount', item, 'idempotency'));
		assert.equal(payloadFingerprint('email, amount', item, 'idempotency'), fingerprint({ email: 'a@x.io', amount: 5 }));
		assert.equal(payloadFingerprint('*', item, 'idempotency'), fingerprint({ email: 'a@x.io', amount: 5 }));
		assert.notEqual(payloadFingerprint('amount', item, 'idempotency'), payloadFingerprint('amount', { ...item, amount: 6 }, 'idempotency'));
	});
	it('facts go under the field; a top-level error moves inside', () => {
		assert.deepEqual(withFacts({ a: 1, error: 'x' }, 'idempotency', { status: 'new' }), { a: 1, idempotency: { status: 'new', inputError: 'x' } });
		assert.deepEqual(splitFields(' a, b.c ,,'), ['a', 'b.c']);
	});
	it('namespace: wf:<id> by default, global or global:<name>; a bad name is a parameter error', () => {
		const s = { backend: 'embedded' as const, onUnreachable: 'fail' as const };
		assert.equal(ledgerNamespaceOf({ ...s, scope: 'workflow' }, 'abc'), 'wf:abc');
		assert.equal(ledgerNamespaceOf({ ...s, scope: 'global', globalName: '' }, 'abc'), 'global');
		assert.equal(ledgerNamespaceOf({ ...s, scope: 'global', globalName: 'stripe-events' }, 'abc'), 'global:stripe-events');
		assert.throws(() => ledgerNamespaceOf({ ...s, scope: 'global', globalName: 'a b' }, 'abc'), (e: { parameter?: string }) => e.parameter === 'stateNamespace');
		assert.throws(() => ledgerNamespaceOf({ ...s, scope: 'workflow' }, undefined), (e: { parameter?: string }) => e.parameter === 'stateScope');
	});
});
