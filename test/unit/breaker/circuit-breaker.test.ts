import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CircuitBreaker, isCircuitOpenError } from '../../../src/breaker';
import { createEmbeddedCache, EmbeddedBreakerStore, type BreakerSnapshot } from '../../../src/store';

function setup(max = 100) {
	const t = { now: 1_790_000_000_000 };
	const clock = { now: () => t.now };
	const cache = createEmbeddedCache(max);
	const store = new EmbeddedBreakerStore({ cache, clock, namespace: 'wf:1' });
	return { t, clock, cache, store };
}

test('execute runs the call while closed and fails fast, without calling, once open', async () => {
	const { t, clock, store } = setup();
	const b = new CircuitBreaker({ store, key: 'GET a.test/x', policy: { consecutiveFailures: 2, resetTimeoutMs: 10_000 }, clock });
	let calls = 0;
	const down = () => (calls++, Promise.reject(new Error('503')));
	const judge = (r: { error?: unknown }) => (r.error ? 'failure' : 'success') as 'failure' | 'success';
	await assert.rejects(b.execute(down, judge), /503/);
	await assert.rejects(b.execute(down, judge), /503/);
	await assert.rejects(b.execute(down, judge), (e) => isCircuitOpenError(e) && e.retryAt === t.now + 10_000 && /Circuit open for GET a.test\/x/.test(e.message));
	assert.equal(calls, 2, 'the third call never reached the endpoint');
	t.now += 10_000;
	assert.equal(await b.execute(async () => 'ok', judge), 'ok');
	assert.equal((await b.getState()).state, 'closed', 'the probe closed it');
	assert.deepEqual((await b.events()).map((e) => e.to), ['closed', 'half-open', 'open']);
});

test('state survives a restart through a JSON snapshot (workflow static data)', async () => {
	const a = setup();
	const b = new CircuitBreaker({ store: a.store, key: 'k', policy: { consecutiveFailures: 1 }, clock: a.clock });
	await b.recordFailure();
	const saved = JSON.parse(JSON.stringify(a.store)) as BreakerSnapshot;
	assert.equal(saved.version, 1);
	const fresh = setup();
	fresh.t.now = a.t.now + 1000;
	const restored = new EmbeddedBreakerStore({ cache: fresh.cache, clock: fresh.clock, namespace: 'wf:1', initialState: saved });
	const v = await restored.getState('k', b.policy);
	assert.deepEqual([v.state, v.openUntil], ['open', a.t.now + 30_000]);
	assert.equal((await restored.events('k')).length, 1);
	const other = new EmbeddedBreakerStore({ cache: fresh.cache, clock: fresh.clock, namespace: 'wf:2' });
	assert.deepEqual(other.snapshot().breakers, {}, 'a snapshot holds only its own namespace');
	assert.equal(restored.restore({ version: 1, breakers: { bad: { nonsense: 1 } } } as never), 0, 'malformed entries are skipped');
});

test('the process cache is bounded: the least recently used breaker goes first', async () => {
	const { store } = setup(3);
	const b = (key: string) => new CircuitBreaker({ store, key, policy: { consecutiveFailures: 1 } });
	for (const k of ['a', 'b', 'c', 'd']) await b(k).recordFailure();
	assert.deepEqual(Object.keys(store.snapshot().breakers).sort(), ['b', 'c', 'd']);
	assert.equal((await b('a').getState()).state, 'closed');
});

test('10,000 breakers cost little: closed acquires store nothing', async () => {
	const { store } = setup(20_000);
	for (let i = 0; i < 10_000; i++) await store.acquire(`GET h/${i}`, new CircuitBreaker({ store, key: 'x' }).policy);
	assert.equal(Object.keys(store.snapshot().breakers).length, 0);
});
