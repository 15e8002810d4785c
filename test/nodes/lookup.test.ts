import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lookupRequest, parseLookup, readLookup } from '../../nodes/ResilientHttp/actions/lookup';
import { ResilientHttp } from '../../nodes/ResilientHttp/ResilientHttp.node.ts';

const WRITE = { method: 'POST', url: 'https://api.example.com/v2/sequenceStates', qs: {}, headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'k1', 'X-Tenant': 't9' }, body: '{}', timeoutMs: 7000 };

describe('Look Up Lost Writes parameters', () => {
	it('builds an exists-lookup by default and an equals-lookup when Found Value is set', () => {
		const base = { url: 'https://api.example.com/ss?p=1', foundWhen: '$.data[0].id' };
		assert.deepEqual(parseLookup(base), { url: base.url, foundWhen: { jsonPath: '$.data[0].id', exists: true }, maxTries: 3, minIntervalMs: 2000, resendWhenNotFound: false });
		const eq = parseLookup({ ...base, foundWhen: '$.jobs[0].status', equals: 'succeeded', maxTries: 5, intervalMs: 0, notFound: 'resend' });
		assert.deepEqual([eq.foundWhen, eq.maxTries, eq.minIntervalMs, eq.resendWhenNotFound], [{ jsonPath: '$.jobs[0].status', equals: 'succeeded' }, 5, 0, true]);
	});

	it('each bad value is refused naming its parameter', () => {
		const ok = { url: 'https://api.example.com/x', foundWhen: '$.id' };
		const cases: Array<[Record<string, unknown>, string, RegExp]> = [
			[{ url: 'not a url' }, 'lookupUrl', /Lookup URL "not a url" is not a valid absolute URL/],
			[{ url: 'ftp://x.example/y' }, 'lookupUrl', /http/],
			[{ foundWhen: 'data.id' }, 'lookupFoundWhen', /must start with "\$"/],
			[{ foundWhen: '$..id' }, 'lookupFoundWhen', /unsupported JSONPath/],
			[{ maxTries: 0 }, 'lookupMaxTries', /1 to 20/],
			[{ intervalMs: -5 }, 'lookupIntervalMs', /0 to/],
			[{ notFound: 'maybe' }, 'lookupNotFound', /Unknown choice/],
		];
		for (const [bad, parameter, message] of cases) {
			assert.throws(() => parseLookup({ ...ok, ...bad }), (e: { parameter?: string; message: string }) => e.parameter === parameter && message.test(e.message), `${JSON.stringify(bad)} → ${parameter}`);
		}
	});

	it('the lookup is a GET with the write\'s headers minus its body type and idempotency key, and the same timeout', () => {
		const spec = parseLookup({ url: 'https://api.example.com/ss?p=1', foundWhen: '$.data[0].id' });
		assert.deepEqual(lookupRequest(spec, WRITE, 'idempotency-key'), { method: 'GET', url: 'https://api.example.com/ss?p=1', qs: {}, headers: { 'X-Tenant': 't9' }, timeoutMs: 7000 });
	});

	it('off by default: no lookup is read, so nothing else is evaluated', () => {
		const read: string[] = [];
		const r = readLookup(<T>(name: string, fallback: T) => (read.push(name), fallback), WRITE, 'Idempotency-Key');
		assert.equal(r, undefined);
		assert.deepEqual(read, ['lookUpLostWrites']);
	});

	it('the node declares the switch off by default, its fields shown only when it is on, Flag as Ambiguous by default', () => {
		const props = new ResilientHttp().description.properties;
		assert.equal(props.find((p) => p.name === 'lookUpLostWrites')!.default, false);
		for (const name of ['lookupUrl', 'lookupFoundWhen', 'lookupEquals', 'lookupMaxTries', 'lookupIntervalMs', 'lookupNotFound']) {
			assert.deepEqual(props.find((p) => p.name === name)!.displayOptions, { show: { lookUpLostWrites: [true] } }, name);
		}
		assert.equal(props.find((p) => p.name === 'lookupNotFound')!.default, 'flag');
	});
});
