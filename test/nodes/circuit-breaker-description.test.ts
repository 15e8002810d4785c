// The Circuit Breaker node's description: operations, per-operation outputs, key modes, store and policy parameters.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

// The .ts extension is explicit: a bare "….node" specifier resolves to a native addon.
import { CircuitBreaker } from '../../nodes/CircuitBreaker/CircuitBreaker.node.ts';
import { ResilientHttp } from '../../nodes/ResilientHttp/ResilientHttp.node.ts';
import { STATIC_DATA_NOTICE } from '../../nodes/shared/stores';

const d = new CircuitBreaker().description;
const prop = (name: string) => d.properties.find((p) => p.name === name)!;

describe('Circuit Breaker description', () => {
	it('is circuitBreaker with the seven operations, check first and default', () => {
		assert.equal(d.name, 'circuitBreaker');
		const op = prop('operation');
		assert.equal(op.default, 'check');
		assert.deepEqual(
			(op.options as { value: string }[]).map((o) => o.value).sort(),
			['check', 'forceOpen', 'getState', 'recordFailure', 'recordResult', 'recordSuccess', 'reset'],
		);
	});

	it('check has Allowed and Rejected outputs, every other operation one', () => {
		const expr = String(d.outputs).replace(/^=\{\{|\}\}$/g, '');
		const outputsFor = (operation: string) => new Function('$parameter', `return ${expr}`)({ operation }) as { displayName?: string }[];
		assert.deepEqual(outputsFor('check').map((o) => o.displayName), ['Allowed', 'Rejected']);
		for (const op of ['recordResult', 'getState', 'reset', 'forceOpen']) assert.equal(outputsFor(op).length, 1);
	});

	it('state backend: embedded by default with the static-data notice, Redis behind its tested credential', () => {
		assert.equal(prop('stateBackend').default, 'embedded');
		assert.equal(prop('embeddedStateNotice').displayName, STATIC_DATA_NOTICE);
		assert.match(STATIC_DATA_NOTICE, /not after manual test runs/);
		assert.equal(prop('onStoreUnreachable').default, 'fail');
		assert.deepEqual(prop('onStoreUnreachable').displayOptions, { show: { stateBackend: ['redis'] } });
		assert.deepEqual(d.credentials, [
			{ name: 'resilienceRedisApi', required: true, testedBy: 'resilienceRedisConnectionTest', displayOptions: { show: { stateBackend: ['redis'] } } },
		]);
	});

	it('Resilient HTTP: the breaker is off by default and its settings show only when it is on', () => {
		const h = new ResilientHttp().description;
		const cb = h.properties.find((p) => p.name === 'circuitBreaker')!;
		assert.equal(cb.default, false);
		for (const name of ['stateBackend', 'stateScope', 'breakerPolicy']) {
			const p = h.properties.find((x) => x.name === name)!;
			assert.deepEqual(p.displayOptions?.show?.circuitBreaker, [true], name);
		}
	});
});
