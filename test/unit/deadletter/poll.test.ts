// The trigger's poll: each new dead letter announced once, a first poll starting from now, a cap per poll.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pollNewEntries, StaticDataDeadLetterStore } from '../../../src/deadletter';
import { draft } from '../../contract/deadletter-fixtures';

describe('pollNewEntries', () => {
	it('announces each entry once, starts from now on the first poll, caps a burst and forgets old ids', async () => {
		let now = Date.UTC(2026, 11, 3, 2, 0, 0);
		const s = new StaticDataDeadLetterStore({ data: {}, clock: { now: () => now } });
		await s.write(draft('crm', { n: 1 }));
		const p1 = await pollNewEntries(s, undefined, { lookbackMs: 60_000 });
		assert.deepEqual([p1.entries.length, Object.keys(p1.state.seen).length], [0, 1], 'existing entries are not announced');
		now += 10_000;
		const a = await s.write(draft('crm', { n: 2 }));
		const b = await s.write(draft('erp', { n: 3 }));
		const p2 = await pollNewEntries(s, p1.state, { lookbackMs: 60_000 });
		assert.deepEqual(p2.entries.map((e) => e.id), [a.id, b.id]);
		const p3 = await pollNewEntries(s, p2.state, { lookbackMs: 60_000 });
		assert.deepEqual(p3.entries, [], 'nothing twice');
		for (let n = 0; n < 5; n++) await s.write(draft('crm', { n: 10 + n }));
		const p4 = await pollNewEntries(s, p3.state, { lookbackMs: 60_000, limit: 3 });
		assert.deepEqual([p4.entries.length, p4.more], [3, true]);
		const p5 = await pollNewEntries(s, p4.state, { lookbackMs: 60_000, limit: 3 });
		assert.deepEqual([p5.entries.length, p5.more], [2, false]);
		const q = await pollNewEntries(s, p5.state, { lookbackMs: 60_000, queue: 'erp' });
		assert.deepEqual(q.entries, []);
		now += 10 * 60_000;
		await s.write(draft('crm', { n: 99 }));
		const p6 = await pollNewEntries(s, p5.state, { lookbackMs: 60_000 });
		assert.equal(p6.entries.length, 1);
		assert.equal(Object.keys(p6.state.seen).length, 1, 'ids far outside the window are forgotten');
		const all = await pollNewEntries(s, undefined, { lookbackMs: 3_600_000, emitExisting: true });
		assert.equal(all.entries.length, 9);
	});
});
