// Contract cases for replay (claimDue), resolve/discard, stats, capacity and redaction; run inside the main suite.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { buildDeadLetter, isDeadLetterCapacityError } from '../../src/deadletter';
import { attempt, draft, SECRETS, type DeadLetterFixture } from './deadletter-fixtures';

export function deadLetterOperationCases(fx: () => DeadLetterFixture, withLimit?: (max: number) => Promise<DeadLetterFixture>): void {
	it('claimDue takes due new entries oldest first, up to the limit, per queue; deferred ones wait for retryAt', async () => {
		const { store: s, advance } = fx();
		const soon = new Date((await s.stats()).now + 10 * 60_000).toISOString();
		const a = await s.write(draft('crm', { n: 1 }));
		advance(1000);
		const deferred = await s.write(draft('crm', { n: 2, retryAt: soon }));
		advance(1000);
		const b = await s.write(draft('crm', { n: 3 }));
		const other = await s.write(draft('other', { n: 4 }));
		const one = await s.claimDue({ queue: 'crm', limit: 1 });
		assert.deepEqual(one.map((e) => e.id), [a.id]);
		const rest = await s.claimDue({ queue: 'crm', limit: 10 });
		assert.deepEqual(rest.map((e) => [e.id, e.status, e.replayCount]), [[b.id, 'requeued', 1]]);
		assert.deepEqual(await s.claimDue({ queue: 'crm', limit: 10 }), [], 'requeued entries are not taken again');
		advance(11 * 60_000);
		assert.deepEqual((await s.claimDue({ queue: 'crm', limit: 10 })).map((e) => e.id), [deferred.id]);
		assert.deepEqual((await s.claimDue({ limit: 10 })).map((e) => e.id), [other.id], 'no queue: every queue');
		assert.equal((await s.get(a.id))?.status, 'requeued');
	});

	it('a requeued entry whose replay never reported back is taken again only when asked, after reclaimAfterMs', async () => {
		const { store: s, advance } = fx();
		const a = await s.write(draft('crm', { n: 1 }));
		const b = await s.write(draft('crm', { n: 2 }));
		assert.equal((await s.claimDue({ queue: 'crm', limit: 5 })).length, 2);
		advance(5 * 60_000);
		await s.resolve({ ids: [b.id] });
		assert.deepEqual(await s.claimDue({ queue: 'crm', limit: 5, reclaimAfterMs: 10 * 60_000 }), [], 'not stale yet');
		advance(6 * 60_000);
		assert.deepEqual(await s.claimDue({ queue: 'crm', limit: 5 }), [], 'off by default');
		const again = await s.claimDue({ queue: 'crm', limit: 5, reclaimAfterMs: 10 * 60_000 });
		assert.deepEqual(again.map((e) => [e.id, e.status, e.replayCount]), [[a.id, 'requeued', 2]], 'resolved ones are never reclaimed');
		assert.deepEqual(await s.claimDue({ limit: 5, reclaimAfterMs: 10 * 60_000 }), [], 'a reclaim restarts the clock');
	});

	it('claimDue with classes takes only those, passing over older entries of other classes, and the limit counts matches', async () => {
		const { store: s, advance } = fx();
		const w = async (cls: string, n: number) => (await s.write(draft('crm', { n, cls }))).id;
		const permanent = [];
		for (let n = 0; n < 5; n++) permanent.push(await w('permanent', n));
		advance(1000);
		const t1 = await w('transient', 10);
		const amb = await w('ambiguous', 11);
		advance(1000);
		const t2 = await w('transient', 12);
		const q1 = await w('quota-wait', 13);
		advance(1000);
		const t3 = await w('transient', 14);
		const fixable = ['transient', 'quota-wait', 'refresh-auth'];
		assert.deepEqual((await s.claimDue({ queue: 'crm', limit: 3, classes: fixable })).map((e) => e.id), [t1, t2, q1]);
		assert.deepEqual((await s.claimDue({ queue: 'crm', limit: 10, classes: fixable })).map((e) => e.id), [t3]);
		assert.deepEqual(await s.claimDue({ queue: 'crm', limit: 10, classes: fixable }), []);
		for (const id of [...permanent, amb]) assert.equal((await s.get(id))?.status, 'new', 'other classes stay new');
		const [a] = await s.claimDue({ queue: 'crm', limit: 10, classes: ['ambiguous'] });
		assert.deepEqual([a.id, a.status, a.replayCount], [amb, 'requeued', 1]);
		advance(11 * 60_000);
		const stale = await s.claimDue({ queue: 'crm', limit: 10, classes: ['ambiguous'], reclaimAfterMs: 10 * 60_000 });
		assert.deepEqual(stale.map((e) => [e.id, e.replayCount]), [[amb, 2]], 'a reclaim keeps to the classes too');
		await assert.rejects(s.claimDue({ queue: 'crm', limit: 10, classes: [] }), /at least one class/);
		await assert.rejects(s.claimDue({ queue: 'crm', limit: 10, classes: ['a,b'] }), /Invalid replay class/);
		assert.deepEqual((await s.claimDue({ queue: 'crm', limit: 10 })).map((e) => e.id), permanent, 'no classes: every class');
	});

	it('two concurrent replays never take the same entry', async () => {
		const { store: s } = fx();
		for (let n = 0; n < 24; n++) await s.write(draft('flood', { n }));
		const runs = await Promise.all([1, 2, 3, 4].map(() => s.claimDue({ queue: 'flood', limit: 8 })));
		const ids = runs.flat().map((e) => e.id);
		assert.equal(new Set(ids).size, ids.length, 'no entry twice');
		assert.equal(ids.length, 24, 'every entry once');
		assert.ok(runs.flat().every((e) => e.replayCount === 1));
	});

	it('resolve and discard by id or filter change only open entries, keep a note, and leave closed ones alone', async () => {
		const { store: s } = fx();
		const a = await s.write(draft('crm', { n: 1 }));
		const b = await s.write(draft('crm', { n: 2, cls: 'permanent' }));
		const c = await s.write(draft('crm', { n: 3, cls: 'permanent' }));
		const d = await s.write(draft('erp', { n: 4, cls: 'permanent' }));
		assert.deepEqual(await s.resolve({ ids: [a.id, 'dl_missing'] }, { note: 'delivered by replay' }), { changed: [a.id] });
		assert.deepEqual(await s.discard({ ids: [a.id] }), { changed: [] }, 'a resolved entry stays resolved');
		const got = await s.get(a.id);
		assert.deepEqual([got?.status, got?.note], ['resolved', 'delivered by replay']);
		const byFilter = await s.discard({ queue: 'crm', class: 'permanent' }, { note: 'bad email' });
		assert.deepEqual(byFilter.changed.sort(), [b.id, c.id].sort());
		assert.equal((await s.get(d.id))?.status, 'new', 'other queue untouched');
		assert.deepEqual(await s.claimDue({ queue: 'crm', limit: 10 }), [], 'closed entries are never replayed');
		const [r] = await s.claimDue({ queue: 'erp', limit: 1 });
		assert.deepEqual((await s.resolve({ queue: 'erp', status: 'requeued' })).changed, [r.id], 'requeued entries can be resolved');
	});

	it('stats give depth (open) and oldest age per queue and per status', async () => {
		const { store: s, advance } = fx();
		const a = await s.write(draft('crm', { n: 1 }));
		await s.write(draft('crm', { n: 2 }));
		await s.write(draft('erp', { n: 3 }));
		advance(5000);
		await s.write(draft('crm', { n: 4 }));
		await s.resolve({ ids: [a.id] });
		await s.claimDue({ queue: 'erp', limit: 1 });
		const st = await s.stats();
		const crm = st.queues.find((q) => q.queue === 'crm');
		const erp = st.queues.find((q) => q.queue === 'erp');
		assert.ok(crm && erp);
		assert.deepEqual(st.queues.map((q) => q.queue), ['crm', 'erp']);
		assert.deepEqual([crm.depth, crm.byStatus.new.count, crm.byStatus.resolved.count, crm.byStatus.requeued.count], [2, 2, 1, 0]);
		assert.ok((crm.oldestOpenAgeMs ?? 0) >= 5000 && (crm.oldestOpenAgeMs ?? 0) < 60_000, `oldest open ${crm.oldestOpenAgeMs}`);
		assert.deepEqual([erp.depth, erp.byStatus.requeued.count], [1, 1]);
		const only = await s.stats('erp');
		assert.deepEqual(only.queues.map((q) => q.queue), ['erp']);
	});

	if (withLimit) {
		it('a full queue refuses a write visibly; closed entries are trimmed first; other queues are unaffected', async () => {
			const f = await withLimit(3);
			try {
				const s = f.store;
				const ids = [];
				for (let n = 0; n < 3; n++) ids.push((await s.write(draft('small', { n }))).id);
				await assert.rejects(s.write(draft('small', { n: 9 })), (e: unknown) => isDeadLetterCapacityError(e) && /full.*NOT stored/s.test((e as Error).message));
				assert.equal((await s.list({ queue: 'small' })).entries.length, 3, 'nothing was dropped');
				await s.write(draft('elsewhere', { n: 1 }));
				await s.discard({ ids: [ids[1]] });
				const w = await s.write(draft('small', { n: 10 }));
				assert.equal(await s.get(ids[1]), undefined, 'the closed entry made room');
				assert.deepEqual((await s.list({ queue: 'small' })).entries.map((e) => e.id), [ids[0], ids[2], w.id]);
			} finally {
				await f.teardown();
			}
		});
	}

	it('seeded secrets never reach the stored data: headers, query strings, cookies, body and item fields, excerpts', async () => {
		const f = fx();
		const report = {
			outcome: 'failed',
			class: 'transient',
			reason: 'HTTP 503',
			request: { method: 'POST', url: `https://api.example.com/v1/leads?hapikey=${SECRETS.hapikey}&X-Api-Key=${SECRETS.queryKey}&page=2`, idempotencyKey: 'lead-1' },
			attempts: [attempt(1, 503, { headers: { 'set-cookie': `sid=${SECRETS.setCookie}`, 'x-request-id': 'r1' }, bodyExcerpt: `{"error":"bad","access_token":"${SECRETS.excerptToken}"}` })],
		};
		const built = buildDeadLetter(report, {
			queue: 'secrets',
			item: { email: 'a@b.c', apiKey: SECRETS.itemSecret, profile: { password: SECRETS.bodyPassword }, resilience: { dropped: true } },
			requestHeaders: { Authorization: `Bearer ${SECRETS.bearer}`, 'X-API-Key': SECRETS.apiKeyHeader, Cookie: `session=${SECRETS.cookie}`, Accept: 'application/json' },
			requestBody: JSON.stringify({ email: 'a@b.c', token: SECRETS.bodyToken, refresh_token: SECRETS.refresh }),
			workflowId: 'wf', executionId: '1', node: 'HTTP', itemIndex: 0,
		});
		assert.equal((built.item as Record<string, unknown>).resilience, undefined, 'the report is not copied into the item');
		await f.store.write(built);
		// A caller that skips the builder is redacted on write all the same.
		const raw = draft('secrets', {
			item: { note: `Authorization: Bearer ${SECRETS.bearer}`, cookie: SECRETS.cookie },
			request: { method: 'GET', url: `https://x.test/a?api_key=${SECRETS.queryKey}`, headers: { authorization: `Bearer ${SECRETS.bearer}`, 'x-hubspot-api-key': SECRETS.apiKeyHeader }, body: { client_secret: SECRETS.refresh, password: SECRETS.bodyPassword } },
			attempts: [attempt(1, 401, { bodyExcerpt: `token=${SECRETS.excerptToken}&refresh_token=${SECRETS.refresh}` })],
		});
		const w = await f.store.write(raw);
		await f.store.write(draft('secrets', { attempts: [attempt(2, 500, { headers: { cookie: SECRETS.cookie } })] }), { replayOf: w.id });
		await f.store.discard({ ids: [w.id] }, { note: `resent with Bearer ${SECRETS.bearer}` });
		assert.deepEqual((await f.store.get(w.id))?.redactedItemFields, ['cookie'], 'masked item fields are listed for the replay');
		const text = await f.raw();
		assert.ok(text.includes('a@b.c') && text.includes('[redacted]'), 'the raw dump holds the entries');
		for (const [name, secret] of Object.entries(SECRETS)) assert.ok(!text.includes(secret), `${name} leaked into stored data`);
		const listed = JSON.stringify(await f.store.list({ queue: 'secrets' }));
		for (const [name, secret] of Object.entries(SECRETS)) assert.ok(!listed.includes(secret), `${name} leaked into list output`);
		assert.ok(listed.includes('page=2'), 'harmless query parameters are kept');
	});
}
