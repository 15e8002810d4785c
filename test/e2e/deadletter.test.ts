// Real n8n: Resilient HTTP fails 3 records transiently and 2 permanently; they are dead-lettered (PostgreSQL: by Resilient
// HTTP itself; Redis: through the Dead Letter Sink), the fault clears, and a replay workflow delivers the transient ones
// exactly once per the mock's ledger (the default replay leaves the permanent ones alone) while the bad ones stay open or
// are discarded, with no second entry and no secret stored.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { RedisDeadLetterStore } from '../../src/deadletter';
import { deleteKeys } from '../contract/redis-helpers';
import { buildWorkflow, declaredNodeTypes, describeRun, startHost, type ExecResult, type Host, type NodeSpec } from './harness/host';
import { assertPaired, outItems } from './oauth-mock/helpers';
import { PERMANENT, RECORDS, SECRETS, TRANSIENT, assertNoSecrets, createContact, recordsNode, startCrm, tally, type Crm } from './deadletter/fixtures';

const PG = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' };

describe('dead letters in real n8n', { timeout: 20 * 60_000 }, () => {
	let host: Host;
	let crm: Crm;
	let http = '';
	let sink = '';
	const schema = `e2e_dlq_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
	const prefix = `e2e-dlq-${randomUUID().slice(0, 8)}`;
	const pool = new Pool({ ...PG, max: 2 });
	const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
	const cred: Record<string, { id: string; name: string }> = {};

	before(async () => {
		crm = await startCrm();
		host = await startHost();
		const types = declaredNodeTypes();
		http = types.find((d) => d.type.endsWith('.resilientHttp'))!.type;
		sink = types.find((d) => d.type.endsWith('.deadLetterSink'))!.type;
		const [bearer, pg, rd] = await host.importCredentials([
			{ name: 'CRM token', type: 'httpBearerAuth', data: { token: SECRETS.bearer } },
			{ name: 'Dead letters PG', type: 'resiliencePostgresApi', data: { ...PG, password: '', ssl: 'disable', schema } },
			{ name: 'Dead letters Redis', type: 'resilienceRedisApi', data: { host: '127.0.0.1', port: 6379, database: 0, keyPrefix: prefix } },
		]);
		cred.httpBearerAuth = { id: bearer, name: 'CRM token' };
		cred.resiliencePostgresApi = { id: pg, name: 'Dead letters PG' };
		cred.resilienceRedisApi = { id: rd, name: 'Dead letters Redis' };
		await redis.connect();
	});

	after(async () => {
		await host?.cleanup();
		await crm?.close();
		await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
		await deleteKeys(redis, `${prefix}:*`).catch(() => 0);
		redis.disconnect();
		await pool.end();
	});

	async function exec(id: string): Promise<ExecResult> {
		const r = await host.execute(id);
		assert.ok(r.ok, describeRun(r));
		assertNoSecrets(JSON.stringify(r.runData), 'the run\'s output items');
		return r;
	}
	const pgCreds = () => ({ httpBearerAuth: cred.httpBearerAuth, resiliencePostgresApi: cred.resiliencePostgresApi });
	const sinkNode = (name: string, parameters: Record<string, unknown>, backend: 'postgres' | 'redis'): NodeSpec => ({
		name,
		type: sink,
		parameters: { backend, ...parameters },
		credentials: backend === 'postgres' ? { resiliencePostgresApi: cred.resiliencePostgresApi } : { resilienceRedisApi: cred.resilienceRedisApi },
	});
	const rows = async () => (await pool.query(`SELECT * FROM "${schema}".dead_letter_queue ORDER BY item_index`)).rows;
	const rawTable = async () => (await pool.query(`SELECT t::text AS row FROM "${schema}".dead_letter_queue t`)).rows.map((r) => r.row).join('\n');

	describe('PostgreSQL, written by Resilient HTTP itself', () => {
		const dl = { deadLetter: true, deadLetterBackend: 'postgres', deadLetterQueue: 'crm' };
		let writeId = '';
		const failedIds: Record<string, string> = {};
		const firstExecution: Record<string, string> = {};

		it('run 1 (fault on): 2 delivered, 5 on Failed, each a row with item, redacted request, attempts, class and ids', async () => {
			writeId = await host.importWorkflow(buildWorkflow('dlq: pg write', [recordsNode, createContact(http, crm.base, dl, pgCreds())]));
			const r = await exec(writeId);
			assertPaired(outItems(r, 'Create Contact', 0), 2);
			const failed = outItems(r, 'Create Contact', 1);
			assertPaired(failed, 5);
			for (const f of failed) {
				assert.equal(f.json.resilience.deadLetter.stored, true, JSON.stringify(f.json.resilience.deadLetter));
				assert.equal(f.json.resilience.deadLetter.created, true);
				assert.match(f.json.resilience.deadLetter.id, /^dl_/);
				failedIds[f.json.id] = f.json.resilience.deadLetter.id;
			}
			const table = await rows();
			console.log(`pg run 1: ${crm.requests} requests, ${table.length} rows written; classes ${JSON.stringify(tally(table, (x) => x.class))}`);
			assert.equal(table.length, 5);
			assert.deepEqual(table.map((x) => x.origin.item.id).sort(), [...TRANSIENT, ...PERMANENT].sort());
			for (const row of table) {
				const transient = row.origin.item.id.startsWith('flaky');
				assert.equal(row.id, failedIds[row.origin.item.id], 'the id on the Failed item is the row');
				assert.equal(row.queue, 'crm');
				assert.equal(row.status, 'new');
				assert.equal(row.class, transient ? 'transient' : 'permanent');
				assert.equal(row.http_status, transient ? 503 : 422);
				assert.equal(row.attempt_count, transient ? 2 : 1);
				assert.equal(row.attempts.length, row.attempt_count);
				assert.equal(row.workflow_id, writeId);
				assert.equal(row.workflow_name, 'dlq: pg write');
				assert.match(String(row.execution_id), /^\d+$/);
				firstExecution[row.id] = row.execution_id;
				assert.equal(row.node, 'Create Contact');
				assert.equal(row.item_index, RECORDS.indexOf(row.origin.item.id));
				assert.deepEqual(row.origin.item, { id: row.origin.item.id, email: `${row.origin.item.id}@example.com` });
				const req = row.latest.request;
				assert.equal(req.method, 'POST');
				assert.match(req.url, /\/contacts\?api_key=(%5B|\[)redacted/);
				assert.equal(req.headers['X-API-Key'], '[redacted]');
				assert.equal(req.headers.Cookie, '[redacted]');
				assert.deepEqual(JSON.parse(req.body), { id: row.origin.item.id, email: `${row.origin.item.id}@example.com` });
				assert.equal(row.latest.classification.outcome, transient ? 'failed-exhausted' : 'failed-permanent');
			}
			assertNoSecrets(await rawTable(), 'the dead_letter_queue table');
			assert.deepEqual([...crm.created.entries()].sort(), [['ok-1', 1], ['ok-2', 1]]);
		});

		/** Replay → Resilient HTTP → Resolve on Success; Failed also wired into a Sink write, which must not store them twice. */
		const replayWorkflow = (name: string, replay: Record<string, unknown>) =>
			buildWorkflow(
				name,
				[
					sinkNode('Replay', { operation: 'replay', queue: 'crm', maxEntries: 100, ...replay }, 'postgres'),
					createContact(http, crm.base, dl, pgCreds()),
					sinkNode('Resolve', { operation: 'resolve' }, 'postgres'),
					sinkNode('Park Again', { operation: 'write', queue: 'crm' }, 'postgres'),
				],
				[
					['Start', 'Replay'],
					['Replay', 'Create Contact'],
					['Create Contact', 'Resolve', 0],
					['Create Contact', 'Park Again', 1],
				],
			);

		it('the fault clears; the default replay takes only the 3 transient rows and delivers each once; the 2 permanent ones are not resent', async () => {
			crm.faulty = false;
			const id = await host.importWorkflow(replayWorkflow('dlq: pg replay', {}));
			const before = crm.requests;
			const r = await exec(id);
			const replayed = outItems(r, 'Replay', 0);
			assertPaired(replayed, 3);
			assert.deepEqual(replayed.map((x) => x.json.id).sort(), TRANSIENT, 'only what a resend can fix');
			assert.ok(replayed.every((x) => x.json.deadLetter.status === 'requeued' && x.json.deadLetter.replayCount === 1 && x.json.deadLetter.class === 'transient'));
			const success = outItems(r, 'Create Contact', 0);
			assert.deepEqual(success.map((x) => x.json.id).sort(), TRANSIENT);
			assert.ok(success.every((x) => x.json.deadLetter.id === failedIds[x.json.id]), 'Success items carry the replay link');
			const resolved = outItems(r, 'Resolve', 0);
			assertPaired(resolved, 3);
			assert.ok(resolved.every((x) => x.json.deadLetter.changed === true && x.json.deadLetter.status === 'resolved'));
			assert.equal(outItems(r, 'Create Contact', 1).length, 0);
			assert.equal(crm.requests - before, 3, 'one request per transient record, none for the permanent ones');
			const table = await rows();
			console.log(`pg replay: ${crm.requests - before} requests, rows ${table.length}, statuses ${JSON.stringify(tally(table, (x) => x.status))}, created ${JSON.stringify(Object.fromEntries(crm.created))}`);
			assert.equal(table.length, 5, 'no second entry');
			assert.deepEqual(tally(table, (x) => x.status), { resolved: 3, new: 2 });
			for (const row of table.filter((x) => x.status === 'new')) assert.deepEqual([row.class, row.replay_count, row.attempt_count], ['permanent', 0, 1]);
			for (const id of TRANSIENT) assert.equal(crm.created.get(id), 1, `${id} delivered exactly once`);
			for (const id of PERMANENT) assert.equal(crm.created.get(id), undefined);
			assertNoSecrets(await rawTable(), 'the dead_letter_queue table');
			assert.equal(outItems(await exec(id), 'Replay', 0).length, 0, 'a second default replay finds nothing to resend');
		});

		it('replaying the permanent rows on purpose: they fail again and return to their rows, attempts appended, no second entry', async () => {
			const id = await host.importWorkflow(replayWorkflow('dlq: pg replay permanent', { replayClasses: ['permanent'] }));
			const r = await exec(id);
			assert.deepEqual(outItems(r, 'Replay', 0).map((x) => x.json.id).sort(), PERMANENT);
			assert.equal(outItems(r, 'Create Contact', 0).length, 0);
			const failed = outItems(r, 'Create Contact', 1);
			assert.deepEqual(failed.map((x) => x.json.id).sort(), PERMANENT);
			for (const f of failed) assert.deepEqual([f.json.resilience.deadLetter.id, f.json.resilience.deadLetter.created], [failedIds[f.json.id], false]);
			const again = outItems(r, 'Park Again', 0);
			assertPaired(again, 2);
			assert.ok(again.every((x) => x.json.deadLetter.alreadyStored === true && x.json.deadLetter.id === failedIds[x.json.id]));
			const table = await rows();
			assert.equal(table.length, 5, 'no second entry');
			assert.deepEqual(tally(table, (x) => x.status), { resolved: 3, new: 2 });
			for (const row of table.filter((x) => x.status === 'new')) {
				assert.equal(row.replay_count, 1);
				assert.equal(row.attempt_count, 2, 'the replay\'s attempt appended');
				assert.notEqual(row.execution_id, firstExecution[row.id], 'the latest failure is the replay\'s');
				assert.equal(row.origin.workflowId, writeId, 'the origin stays the writing workflow');
			}
			// Once more: the resolved ones are never sent again.
			const second = await exec(id);
			assert.deepEqual(outItems(second, 'Replay', 0).map((x) => x.json.id).sort(), PERMANENT);
			const after = await rows();
			assert.equal(after.length, 5);
			assert.deepEqual(after.filter((x) => x.status === 'new').map((x) => [x.replay_count, x.attempt_count]), [[2, 3], [2, 3]]);
			for (const id of TRANSIENT) assert.equal(crm.created.get(id), 1);
			for (const id of PERMANENT) assert.equal(crm.created.get(id), undefined);
			assertNoSecrets(await rawTable(), 'the dead_letter_queue table');
		});
	});

	describe('Redis, written and replayed through the Dead Letter Sink', () => {
		const queue = `crm-${process.pid}`;
		const store = () => new RedisDeadLetterStore(redis, { prefix });
		const redisCreds = () => ({ httpBearerAuth: cred.httpBearerAuth });

		it('Failed → Sink write: 5 entries with item, redacted URL, attempts and ids; replay → resolve / write back → discard closes all 5 exactly once', async () => {
			crm.faulty = true;
			crm.created.clear();
			const write = buildWorkflow(
				'dlq: redis write',
				[recordsNode, createContact(http, crm.base, {}, redisCreds()), sinkNode('Dead Letter', { operation: 'write', queue }, 'redis')],
				[
					['Start', 'Records'],
					['Records', 'Create Contact'],
					['Create Contact', 'Dead Letter', 1],
				],
			);
			const writeId = await host.importWorkflow(write);
			const w = await exec(writeId);
			const written = outItems(w, 'Dead Letter', 0);
			assertPaired(written, 5);
			assert.ok(written.every((x) => x.json.deadLetter.created === true && /^dl_/.test(x.json.deadLetter.id) && x.json.resilience));
			const listed = (await store().list({ queue, limit: 50 })).entries;
			assert.equal(listed.length, 5);
			for (const e of listed) {
				const transient = String((e.item as { id: string }).id).startsWith('flaky');
				assert.equal(e.classification.class, transient ? 'transient' : 'permanent');
				assert.equal(e.attempts.length, transient ? 2 : 1);
				// node: where the item came from; itemIndex: its place among the items the Sink received (the Failed ones).
				assert.deepEqual([e.workflowId, e.node, e.itemIndex], [writeId, 'Create Contact', [...TRANSIENT, ...PERMANENT].indexOf((e.item as { id: string }).id)]);
				assert.match(String(e.executionId), /^\d+$/);
				assert.match(e.request.url, /api_key=(%5B|\[)redacted/);
			}

			crm.faulty = false;
			const replay = buildWorkflow(
				'dlq: redis replay',
				[
					// All Classes: a clean-up run that replays everything and discards what fails again.
					sinkNode('Replay', { operation: 'replay', queue, replayClasses: ['any'] }, 'redis'),
					createContact(http, crm.base, {}, redisCreds()),
					sinkNode('Resolve', { operation: 'resolve' }, 'redis'),
					sinkNode('Back to Queue', { operation: 'write', queue }, 'redis'),
					sinkNode('Discard', { operation: 'discard', note: 'invalid email, will not be fixed' }, 'redis'),
				],
				[
					['Start', 'Replay'],
					['Replay', 'Create Contact'],
					['Create Contact', 'Resolve', 0],
					['Create Contact', 'Back to Queue', 1],
					['Back to Queue', 'Discard'],
				],
			);
			const r = await exec(await host.importWorkflow(replay));
			assertPaired(outItems(r, 'Resolve', 0), 3);
			const back = outItems(r, 'Back to Queue', 0);
			assertPaired(back, 2);
			assert.ok(back.every((x) => x.json.deadLetter.created === false), 'a replayed failure returns to its entry');
			assert.ok(outItems(r, 'Discard', 0).every((x) => x.json.deadLetter.status === 'discarded'));
			const s = (await store().stats(queue)).queues[0];
			console.log(`redis: depth ${s.depth}, ${JSON.stringify(Object.fromEntries(Object.entries(s.byStatus).map(([k, v]) => [k, v.count])))}, created ${JSON.stringify(Object.fromEntries(crm.created))}`);
			assert.equal(s.depth, 0);
			assert.deepEqual([s.byStatus.resolved.count, s.byStatus.discarded.count, s.byStatus.new.count], [3, 2, 0]);
			for (const id of TRANSIENT) assert.equal(crm.created.get(id), 1, `${id} delivered exactly once`);
			for (const id of PERMANENT) assert.equal(crm.created.get(id), undefined);
			const all = (await store().list({ queue, limit: 50 })).entries;
			assert.equal(all.length, 5, 'no second entry');
			assert.ok(all.filter((e) => e.status === 'discarded').every((e) => e.note === 'invalid email, will not be fixed' && e.attemptCount === 2));
		});

		it('no secret in any Redis key or value the dead letters use', async () => {
			const keys = await redis.keys(`${prefix}:*`);
			assert.ok(keys.length > 0);
			const parts: unknown[] = [];
			for (const k of keys) {
				const t = await redis.type(k);
				parts.push(t === 'hash' ? await redis.hgetall(k) : t === 'list' ? await redis.lrange(k, 0, -1) : t === 'zset' ? await redis.zrange(k, 0, -1) : t === 'set' ? await redis.smembers(k) : await redis.get(k));
			}
			const text = keys.join('\n') + JSON.stringify(parts);
			assert.match(text, /temporarily unavailable/, 'the dump holds the stored attempts');
			assertNoSecrets(text, 'Redis');
		});
	});

	it('a dead-letter queue name the store would refuse stops the node before any request, naming deadLetterQueue and the item', async () => {
		const before = crm.requests;
		const wf = buildWorkflow('dlq: bad queue', [recordsNode, createContact(http, crm.base, { deadLetter: true, deadLetterBackend: 'postgres', deadLetterQueue: 'has spaces' }, pgCreds())]);
		const r = await host.execute(await host.importWorkflow(wf));
		assert.equal(r.ok, false);
		assert.match(JSON.stringify(r.error), /Parameter \\"deadLetterQueue\\" \(item 0\)/);
		assert.equal(crm.requests, before, 'nothing was sent');
	});
});
