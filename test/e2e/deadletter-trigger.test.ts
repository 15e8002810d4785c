// Real n8n: the Dead Letter Sink on workflow static data (bad input names the parameter and item, continue-on-fail keeps
// every item, entries survive between `n8n execute` runs), then under `n8n start` an active Dead Letter Trigger polling
// PostgreSQL every 5 s announces each new entry once and the depth crossings, and the PostgreSQL credential's Test button.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { PostgresDeadLetterStore } from '../../src/deadletter';
import { draft } from '../contract/deadletter-fixtures';
import { buildWorkflow, declaredNodeTypes, describeRun, startHost, type Host } from './harness/host';
import { assertPaired, outItems } from './oauth-mock/helpers';

const PG = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' };
const EVERY_5_S = '0,5,10,15,20,25,30,35,40,45,50,55 * * * * *';

interface Announcement {
	event: string;
	id: string | null;
	queue: string;
	from: string | null;
	to: string | null;
	depth: number | null;
	message: string;
}

describe('Dead Letter Sink on static data and the Dead Letter Trigger in real n8n', { timeout: 15 * 60_000 }, () => {
	let host: Host;
	let sink = '';
	let trigger = '';
	let mock: Server;
	let mockBase = '';
	const heard: Announcement[] = [];
	const schema = `e2e_dlqt_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
	const pool = new Pool({ ...PG, max: 2 });
	let pgCred = '';
	let deadCred = '';
	let http = '';

	before(async () => {
		mock = createServer((req, res) => {
			let b = '';
			req.on('data', (c) => (b += c));
			req.on('end', () => {
				if (req.url?.startsWith('/fail')) {
					res.statusCode = 422;
					return res.end('{"message":"invalid record"}');
				}
				heard.push(JSON.parse(b) as Announcement);
				res.setHeader('content-type', 'application/json');
				res.end('{"ok":true}');
			});
		});
		await new Promise<void>((r) => mock.listen(0, '127.0.0.1', r));
		mockBase = `http://127.0.0.1:${(mock.address() as AddressInfo).port}`;
		host = await startHost();
		sink = declaredNodeTypes().find((d) => d.type.endsWith('.deadLetterSink'))!.type;
		trigger = declaredNodeTypes().find((d) => d.type.endsWith('.deadLetterTrigger'))!.type;
		http = declaredNodeTypes().find((d) => d.type.endsWith('.resilientHttp'))!.type;
		[pgCred, deadCred] = await host.importCredentials([
			{ name: 'Dead letters PG', type: 'resiliencePostgresApi', data: { ...PG, password: '', ssl: 'disable', schema } },
			{ name: 'PG (down)', type: 'resiliencePostgresApi', data: { ...PG, port: 1, password: '', ssl: 'disable', schema } },
		]);
	});

	after(async () => {
		await host?.cleanup();
		mock?.close();
		await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
		await pool.end();
	});

	const leads = {
		name: 'Leads',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		// Item 1 has neither a reason nor an error field; item 2 is n8n's continue-on-fail shape.
		parameters: { jsCode: `return [{ json: { lead: 'a', why: 'no owner' } }, { json: { lead: 'b' } }, { json: { lead: 'c', error: 'upstream said no' } }];` },
	};
	const write = (extra: Record<string, unknown> = {}) => ({ name: 'Park', type: sink, parameters: { operation: 'write', queue: 'manual', reason: '={{ $json.why }}' }, extra });

	it('bad input stops the node naming the parameter and the item; the message says how to fix it', async () => {
		const r = await host.execute(await host.importWorkflow(buildWorkflow('dlq: strict', [leads, write()])));
		assert.equal(r.ok, false);
		const err = r.error as { message?: string; description?: string };
		assert.match(String(err?.message), /^Parameter "reason" \(item 1\): Reason is empty and the item has neither a Resilient HTTP report/);
		assert.match(String(err?.description), /Fix the "reason" parameter of the Dead Letter Sink node/);
	});

	it('continue-on-fail keeps all 3 items; entries live in static data across executions (2 per run: 2, then 4)', async () => {
		const wf = buildWorkflow(
			'dlq: static data',
			[
				leads,
				write({ onError: 'continueRegularOutput' }),
				{ name: 'Stats', type: sink, parameters: { operation: 'stats', queueFilter: 'manual' }, extra: { executeOnce: true } },
				{ name: 'List', type: sink, parameters: { operation: 'list', queueFilter: 'manual', statusFilter: [], returnAll: true }, extra: { executeOnce: true } },
			],
			[
				['Start', 'Leads'],
				['Leads', 'Park'],
				['Park', 'Stats'],
				['Park', 'List'],
			],
		);
		const id = await host.importWorkflow(wf);
		for (const [run, depth] of [[1, 2], [2, 4]] as const) {
			const r = await host.execute(id);
			assert.ok(r.ok, describeRun(r));
			const parked = outItems(r, 'Park', 0);
			assert.equal(parked.length, 3, 'no item disappears');
			assert.deepEqual(parked.map((p) => p.pairedItem?.item), [0, 1, 2]);
			assert.match(String(parked[1].json.error), /^Parameter "reason" \(item 1\)/);
			assertPaired([parked[0], parked[2]]);
			assert.equal(parked[2].json.deadLetter.reason, 'upstream said no');
			assert.equal(parked[2].json.deadLetter.inputError, 'upstream said no', 'the input error moved inside, not top-level');
			assert.equal(parked[0].json.deadLetter.store.backend, 'staticData');
			const stats = outItems(r, 'Stats', 0);
			assert.deepEqual(stats.map((s) => [s.json.queue, s.json.depth, s.json.level]), [['manual', depth, 'warning']]);
			const listed = outItems(r, 'List', 0);
			console.log(`static data run ${run}: ${listed.length} entries listed, depth ${stats[0].json.depth}`);
			assert.equal(listed.length, depth);
			assert.deepEqual(listed.map((e) => e.json.item.lead).sort(), Array.from({ length: run }, () => ['a', 'c']).flat().sort());
		}
	});

	it('discard by filter closes only what matches; list pages by cursor; get returns the whole entry', async () => {
		const once = { executeOnce: true };
		const wf = buildWorkflow('dlq: filters and pages', [
			{ name: 'Mixed', type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode: `return ['permanent', 'transient', 'permanent', 'transient'].map((cls, n) => ({ json: { n, cls } }));` } },
			{ name: 'Park', type: sink, parameters: { operation: 'write', queue: 'triage', reason: '={{ "record " + $json.n }}', writeOptions: { class: '={{ $json.cls }}' } } },
			{ name: 'Tidy', type: sink, parameters: { operation: 'discard', target: 'filter', queueFilter: 'triage', classFilter: 'permanent', note: 'bad data' }, extra: once },
			{ name: 'Count', type: sink, parameters: { operation: 'stats', queueFilter: 'triage' }, extra: once },
			{ name: 'Page 1', type: sink, parameters: { operation: 'list', queueFilter: 'triage', statusFilter: [], limit: 1 }, extra: once },
			{ name: 'Page 2', type: sink, parameters: { operation: 'list', queueFilter: 'triage', statusFilter: [], limit: 1, cursor: '={{ $json.nextCursor }}' }, extra: once },
			{ name: 'Get', type: sink, parameters: { operation: 'get', entryId: '={{ $json.id }}' } },
		]);
		const r = await host.execute(await host.importWorkflow(wf));
		assert.ok(r.ok, describeRun(r));
		const tidy = outItems(r, 'Tidy', 0);
		assert.equal(tidy[0].json.deadLetter.count, 2);
		const count = outItems(r, 'Count', 0)[0].json;
		assert.deepEqual([count.depth, count.byStatus.discarded.count, count.byStatus.new.count], [2, 2, 2]);
		const [p1, p2] = [outItems(r, 'Page 1', 0), outItems(r, 'Page 2', 0)];
		assert.deepEqual([p1.length, p2.length], [1, 1]);
		assert.deepEqual([p1[0].json.item.n, p1[0].json.status, p2[0].json.item.n, p2[0].json.status], [0, 'discarded', 1, 'new']);
		assert.ok(p1[0].json.nextCursor && p2[0].json.nextCursor, 'more pages follow');
		const got = outItems(r, 'Get', 0);
		assertPaired(got, 1);
		assert.deepEqual([got[0].json.id, got[0].json.classification.class, got[0].json.classification.reason], [p2[0].json.id, 'transient', 'record 1']);
		assert.ok(tidy[0].json.deadLetter.changed.includes(p1[0].json.id));
	});

	it('PostgreSQL down: Resilient HTTP still emits every Failed item, with the write error, or parked in static data; parked ones move over later', async () => {
		const failing = (name: string, onUnreachable: string, queue: string) => ({
			name,
			type: http,
			parameters: { url: `${mockBase}/fail`, deadLetter: true, deadLetterBackend: 'postgres', deadLetterQueue: queue, deadLetterOnUnreachable: onUnreachable },
			credentials: { resiliencePostgresApi: { id: deadCred, name: 'PG (down)' } },
		});
		const wf = buildWorkflow('dlq: store down', [leads, failing('Strict', 'fail', 'strict'), failing('Parking', 'fallback', 'parked')], [
			['Start', 'Leads'],
			['Leads', 'Strict'],
			['Leads', 'Parking'],
		]);
		const id = await host.importWorkflow(wf);
		const first = await host.execute(id);
		assert.ok(first.ok, describeRun(first));
		const strict = outItems(first, 'Strict', 1);
		assertPaired(strict, 3);
		for (const f of strict) {
			assert.equal(f.json.resilience.deadLetter.stored, false);
			assert.match(f.json.resilience.deadLetter.error, /Dead letters in PostgreSQL \(127\.0\.0\.1:1\/test, schema \w+\) are unreachable/);
		}
		const parked = outItems(first, 'Parking', 1);
		assertPaired(parked, 3);
		assert.ok(parked.every((f) => f.json.resilience.deadLetter.stored === true && f.json.resilience.deadLetter.store.fellBack === true));
		assert.equal(parked[2].json.resilience.deadLetter.store.parked, 3);

		// The database comes back (the same credential now points at it): the next run writes there and moves the parked 3.
		await host.importCredentials([{ id: deadCred, name: 'PG (down)', type: 'resiliencePostgresApi', data: { ...PG, password: '', ssl: 'disable', schema } }]);
		const second = await host.execute(id);
		assert.ok(second.ok, describeRun(second));
		const table = await pool.query(`SELECT id, queue FROM "${schema}".dead_letter_queue WHERE queue IN ('strict', 'parked')`);
		const ids = (q: string) => table.rows.filter((r) => r.queue === q).map((r) => r.id as string);
		console.log(`store down then up: strict ${ids('strict').length} rows (run 2 only), parked ${ids('parked').length} rows (3 moved + 3 new)`);
		assert.equal(ids('strict').length, 3);
		assert.equal(ids('parked').length, 6);
		for (const f of parked) assert.ok(ids('parked').includes(f.json.resilience.deadLetter.id), 'a parked entry keeps its id in PostgreSQL');
		assert.ok(outItems(second, 'Parking', 1).every((f) => f.json.resilience.deadLetter.store.fellBack === false && !f.json.resilience.deadLetter.store.parked));
	});

	it('an active trigger polling every 5 s announces each new entry once, the depth crossings up and down, and the Test button works', async () => {
		const wf = {
			name: 'dlq: alert',
			nodes: [
				{
					id: 'a0000000-0000-4000-8000-000000000001',
					name: 'Dead Letters',
					type: trigger,
					typeVersion: 1,
					position: [0, 0],
					parameters: { backend: 'postgres', queueFilter: 'alerts', criticalAbove: 2, pollTimes: { item: [{ mode: 'custom', cronExpression: EVERY_5_S }] } },
					credentials: { resiliencePostgresApi: { id: pgCred, name: 'Dead letters PG' } },
				},
				{
					id: 'a0000000-0000-4000-8000-000000000002',
					name: 'Alert',
					type: 'n8n-nodes-base.httpRequest',
					typeVersion: 4.2,
					position: [220, 0],
					parameters: {
						method: 'POST',
						url: `${mockBase}/announce`,
						sendBody: true,
						specifyBody: 'json',
						jsonBody: '={{ JSON.stringify({ event: $json.event, id: $json.id ?? null, queue: $json.queue, from: $json.from ?? null, to: $json.to ?? null, depth: $json.depth ?? null, message: $json.message }) }}',
						options: {},
					},
				},
			],
			connections: { 'Dead Letters': { main: [[{ node: 'Alert', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
			active: false,
		};
		// A row already there before activation is not news: the first poll starts from now.
		const store = new PostgresDeadLetterStore({ pool, schema });
		await store.write(draft('elsewhere', { n: 0 }));
		await host.importWorkflow(wf, { activate: true });
		const { baseUrl } = await host.startServer();
		try {
			const until = async (what: string, ok: () => boolean, ms = 30_000) => {
				const end = Date.now() + ms;
				while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 250));
				assert.ok(ok(), `${what}; heard: ${JSON.stringify(heard)}`);
			};
			const news = () => heard.filter((h) => h.event === 'new-entry');
			const depth = () => heard.filter((h) => h.event === 'depth-crossing').map((h) => `${h.from}→${h.to}:${h.depth}`);

			const written = await Promise.all([1, 2, 3].map((n) => store.write(draft('alerts', { n }))));
			await until('3 new entries and ok→critical announced', () => news().length >= 3 && depth().length >= 1);
			await new Promise((r) => setTimeout(r, 11_000)); // two more polls: nothing is announced twice
			assert.deepEqual(news().map((h) => h.id).sort(), written.map((w) => w.id).sort());
			assert.ok(news().every((h) => h.queue === 'alerts' && /^New dead letter in queue "alerts": HTTP 503/.test(h.message)));
			assert.deepEqual(depth(), ['ok→critical:3']);

			await store.resolve({ ids: [written[0].id, written[1].id] });
			await until('critical→warning', () => depth().length >= 2);
			await store.discard({ ids: [written[2].id] });
			await until('warning→ok (recovery)', () => depth().length >= 3);
			const late = await store.write(draft('alerts', { n: 4 }));
			await until('the fourth entry and ok→warning', () => news().length >= 4 && depth().length >= 4);
			await new Promise((r) => setTimeout(r, 6_000));
			console.log(`trigger heard ${heard.length}: ${news().length} new entries, depth ${JSON.stringify(depth())}`);
			assert.deepEqual(depth(), ['ok→critical:3', 'critical→warning:1', 'warning→ok:0', 'ok→warning:1']);
			assert.equal(news().length, 4, 'each entry announced exactly once');
			assert.equal(news()[3].id, late.id);
			assert.ok(!heard.some((h) => h.queue === 'elsewhere'), 'the queue filter holds');

			// The credential's Test button, through the REST call the editor makes.
			const headers: Record<string, string> = { 'content-type': 'application/json', 'browser-id': 'e2e-dlq' };
			const call = async (path: string, body: unknown) => {
				const r = await fetch(`${baseUrl}/rest/${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
				headers.cookie ??= (r.headers.get('set-cookie') ?? '').split(';')[0];
				return (await r.json()) as { data: Record<string, string> };
			};
			await call('owner/setup', { email: 'owner@example.com', firstName: 'E', lastName: 'Two', password: 'DeadLetter-e2e-1' });
			const test = async (port: number) => {
				const c = { name: `PG ${port}`, type: 'resiliencePostgresApi', data: { ...PG, port, password: '', ssl: 'disable', schema } };
				const created = await call('credentials', c);
				return (await call('credentials/test', { credentials: { ...c, id: created.data.id } })).data;
			};
			assert.deepEqual(await test(5432), { status: 'OK', message: `Connected to PostgreSQL at 127.0.0.1:5432/test; dead letters go to "${schema}".dead_letter_queue` });
			const bad = await test(1);
			assert.equal(bad.status, 'Error');
			assert.match(bad.message, /Could not connect to PostgreSQL at 127\.0\.0\.1:1\/test/);
		} finally {
			await host.stop();
		}
	});
});
