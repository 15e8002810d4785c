import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { canonicalJson, deriveKey, fingerprint, newOwnerToken, readPath } from '../../../src/idempotency';

describe('canonicalJson', () => {
	it('sorts keys at every depth and keeps array order', () => {
		assert.equal(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } }), '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
		assert.equal(canonicalJson([2, 1]), '[2,1]');
	});

	it('follows JSON for values JSON cannot hold, and turns a bigint into its digits', () => {
		assert.equal(canonicalJson({ u: undefined, f: () => 1, n: Number.NaN, i: Infinity, arr: [undefined] }), '{"arr":[null],"i":null,"n":null}');
		assert.equal(canonicalJson({ d: new Date(Date.UTC(2026, 0, 2)) }), '{"d":"2026-01-02T00:00:00.000Z"}');
		assert.equal(canonicalJson({ big: 12345678901234567890n }), '{"big":"12345678901234567890"}');
		assert.equal(canonicalJson(undefined), 'null');
		assert.equal(canonicalJson('é\n"'), JSON.stringify('é\n"'));
	});

	it('refuses a cycle but accepts the same object twice side by side', () => {
		const shared = { x: 1 };
		assert.equal(canonicalJson({ a: shared, b: shared }), '{"a":{"x":1},"b":{"x":1}}');
		const loop: Record<string, unknown> = {};
		loop.self = loop;
		assert.throws(() => canonicalJson(loop), /cycle/);
	});
});

describe('fingerprint', () => {
	it('is the sha256 of the canonical JSON, equal whatever the key order', () => {
		const a = fingerprint({ email: 'x@y.z', amount: 5000 });
		assert.equal(a, createHash('sha256').update('{"amount":5000,"email":"x@y.z"}').digest('hex'));
		assert.equal(a, fingerprint({ amount: 5000, email: 'x@y.z' }));
		assert.notEqual(a, fingerprint({ amount: 5001, email: 'x@y.z' }));
		assert.notEqual(fingerprint({ a: '1' }), fingerprint({ a: 1 }), 'types matter');
		assert.match(a, /^[0-9a-f]{64}$/);
	});
});

describe('deriveKey', () => {
	const lead = { id: 7, contact: { email: 'ada@example.com' }, campaign: 'spring', noise: Math.random() };

	it('hashes only the chosen fields, so other fields do not change the key', () => {
		const k = deriveKey(lead, ['contact.email', 'campaign']);
		assert.equal(k, deriveKey({ ...lead, noise: 'other' }, ['campaign', 'contact.email']), 'field order and other fields do not matter');
		assert.equal(k, fingerprint({ campaign: 'spring', 'contact.email': 'ada@example.com' }));
		assert.notEqual(k, deriveKey({ ...lead, campaign: 'fall' }, ['contact.email', 'campaign']));
		assert.equal(deriveKey(lead, ['id'], { prefix: 'crm-upsert' }), `crm-upsert:${fingerprint({ id: 7 })}`);
	});

	it('refuses missing fields (items would share one key) unless told otherwise', () => {
		assert.throws(() => deriveKey(lead, ['contact.phone', 'campaign', 'x']), /no value for "contact.phone", "x"/);
		assert.throws(() => deriveKey({ e: '' }, ['e']), /no value for "e"/);
		assert.equal(deriveKey(lead, ['contact.phone'], { allowMissing: true }), fingerprint({ 'contact.phone': null }));
		assert.throws(() => deriveKey(lead, [' ', '']), /at least one field/);
	});

	it('reads dotted paths through objects and arrays', () => {
		assert.equal(readPath({ items: [{ id: 'a' }] }, 'items.0.id'), 'a');
		assert.equal(readPath({ a: 1 }, 'a.b'), undefined);
	});
});

it('owner tokens are unique and may carry a label', () => {
	const a = newOwnerToken('exec-12:item-3');
	assert.match(a, /^exec-12:item-3:[0-9a-f-]{36}$/);
	assert.notEqual(newOwnerToken(), newOwnerToken());
});
