import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AdditiveJitterBackoff, createBackoff, DecorrelatedJitterBackoff, EqualJitterBackoff, FullJitterBackoff, jitterServerWait, nominalDelay, NoJitterBackoff } from '../../src';

const o = { baseDelayMs: 1000, factor: 2, maxDelayMs: 30_000 };

test('nominal delay doubles and is capped at maxDelayMs', () => {
	assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => nominalDelay(o, n)), [1000, 2000, 4000, 8000, 16000, 30000]);
	assert.equal(nominalDelay(o, 200), 30000);
});

test('full jitter draws from [0, d]', () => {
	const b = new FullJitterBackoff(o);
	assert.equal(b.next(3, () => 0), 0);
	assert.equal(b.next(3, () => 0.999999), 4000);
	assert.equal(b.next(3, () => 0.5), 2000);
});

test('additive jitter lies in [d, d + min(d, 1000)]', () => {
	const b = new AdditiveJitterBackoff(o);
	assert.equal(b.next(1, () => 0), 1000);
	assert.equal(b.next(1, () => 0.999999), 2000);
	assert.equal(b.next(3, () => 0.999999), 5000);
	const small = new AdditiveJitterBackoff({ baseDelayMs: 200, factor: 2, maxDelayMs: 30000 });
	assert.equal(small.next(1, () => 0.999999), 400);
});

test('equal jitter lies in [d/2, d]; none is exactly d', () => {
	assert.equal(new EqualJitterBackoff(o).next(2, () => 0), 1000);
	assert.equal(new EqualJitterBackoff(o).next(2, () => 0.999999), 2000);
	assert.equal(new NoJitterBackoff(o).next(4), 8000);
});

test('decorrelated jitter grows from the previous wait and stays under the cap', () => {
	const b = new DecorrelatedJitterBackoff(o);
	assert.equal(b.next(1, () => 0), 1000);
	assert.equal(b.next(2, () => 0.999999, 5000), 15000);
	assert.equal(b.next(9, () => 0.999999, 25000), 30000);
});

test('createBackoff picks the mode and rejects unknown ones', () => {
	for (const j of ['full', 'additive', 'equal', 'decorrelated', 'none'] as const) assert.equal(createBackoff({ ...o, jitter: j }).mode, j);
	assert.throws(() => createBackoff({ ...o, jitter: 'weird' as never }), /Unknown jitter mode/);
});

test('a server wait is a floor slept as [wait, wait + 1000]', () => {
	assert.equal(jitterServerWait(5000, 'additive', () => 0), 5000);
	assert.equal(jitterServerWait(5000, 'full', () => 0.999999), 6000);
	assert.equal(jitterServerWait(5000, 'none', () => 0.5), 5000);
	assert.equal(jitterServerWait(-3, 'none', () => 0.5), 0);
});
