// The replay link round trip and the trigger's depth crossings.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildDeadLetter, depthCrossings, replayItemJson, replayLinkOf, StaticDataDeadLetterStore, type DeadLetterStats } from '../../../src/deadletter';
import { draft } from '../../contract/deadletter-fixtures';

describe('replay link', () => {
	it('a replayed item carries its entry id; failing again it returns to that entry without the link in the item', async () => {
		const s = new StaticDataDeadLetterStore({ data: {} });
		const w = await s.write(draft('crm', { item: { email: 'a@x.test' } }));
		const [claimed] = await s.claimDue({ limit: 1 });
		const json = replayItemJson(claimed);
		assert.deepEqual(json, { email: 'a@x.test', deadLetter: { id: w.id, queue: 'crm', replayCount: 1, class: 'transient', reason: 'HTTP 503' } });
		assert.equal(replayLinkOf(json), w.id);
		const again = buildDeadLetter(
			{ outcome: 'failed', class: 'transient', reason: 'HTTP 502', request: { method: 'POST', url: 'https://x.test' }, attempts: [] },
			{ queue: 'crm', item: json },
		);
		const r = await s.write(again, { replayOf: replayLinkOf(json) });
		assert.deepEqual([r.id, r.created, (await s.list()).entries.length], [w.id, false, 1]);
		assert.deepEqual(r.entry.item, { email: 'a@x.test' });
		assert.deepEqual(replayItemJson({ ...claimed, item: 'plain text' }).data, 'plain text');
		for (const bad of [undefined, null, 'x', {}, { deadLetter: 'dl_1' }, { deadLetter: { id: '' } }]) assert.equal(replayLinkOf(bad), undefined);
	});
});

describe('depth crossings', () => {
	const stats = (depths: Record<string, number>): DeadLetterStats => ({
		now: 0,
		queues: Object.entries(depths).map(([queue, depth]) => ({ queue, depth, oldestOpenAgeMs: 1000, byStatus: {} as never })),
	});

	it('any dead letter warns, more than 50 is critical; only changes are reported, recoveries included', () => {
		const first = depthCrossings(stats({ crm: 1, erp: 0, ads: 51 }), {});
		assert.deepEqual(first.crossings.map((c) => [c.queue, c.from, c.to, c.depth]), [['crm', 'ok', 'warning', 1], ['ads', 'ok', 'critical', 51]]);
		assert.deepEqual(first.levels, { crm: 'warning', ads: 'critical' });
		const same = depthCrossings(stats({ crm: 30, erp: 0, ads: 60 }), first.levels);
		assert.deepEqual(same.crossings, []);
		const later = depthCrossings(stats({ crm: 0, ads: 50 }), same.levels);
		assert.deepEqual(later.crossings.map((c) => [c.queue, c.from, c.to]), [['crm', 'warning', 'ok'], ['ads', 'critical', 'warning']]);
		const gone = depthCrossings(stats({}), later.levels);
		assert.deepEqual(gone.crossings.map((c) => [c.queue, c.to]), [['ads', 'ok']]);
		assert.throws(() => depthCrossings(stats({}), {}, { warning: 5, critical: 5 }), /warning < critical/);
	});
});
