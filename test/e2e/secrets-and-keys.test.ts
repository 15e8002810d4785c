// Found by fresh-user tests in real n8n: servers echo secrets back in error bodies (also to a plain HTTP Request node
// whose error output goes to the Dead Letter Sink), a body expression can evaluate to nothing for one item, and a custom
// idempotency key can collide across different records. None may leak or lose a record.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { deleteKeys } from '../contract/redis-helpers';
import { buildWorkflow, declaredNodeTypes, describeRun, startHost, type ExecResult, type Host } from './harness/host';
import { assertPaired, outItems } from './oauth-mock/helpers';
import { PLAIN, answerPlain, plainLeaks, plainLinks, plainNodes, redisDump } from './secrets/plain-http';

const HEADER_SECRET = 'hdr-Secret-31337';
const QUERY_SECRET = 'qry-Secret-27182';
const COOKIE_SECRET = 'ck-Secret-16180';
const CRED_SECRET = 'cred-Secret-14142';

interface Hit {
	path: string;
	body: string;
	key?: string;
}

function startEchoServer(): Promise<{ server: Server; base: string; hits: Hit[] }> {
	const hits: Hit[] = [];
	const server = createServer((req: IncomingMessage, res) => {
		let body = '';
		req.on('data', (c) => (body += c));
		req.on('end', () => {
			const url = new URL(req.url ?? '/', 'http://x');
			hits.push({ path: url.pathname, body, key: req.headers['idempotency-key'] as string | undefined });
			if (answerPlain(req, body, res)) return;
			if (url.pathname === '/echo-401') {
				// What misbehaving APIs do: echo the request back, as JSON, as a header dump and as bare words.
				res.writeHead(401, { 'content-type': 'application/json' });
				res.end(
					JSON.stringify({
						message: `invalid credentials ${req.headers['x-api-key']} and ${url.searchParams.get('apiToken')}`,
						headers: req.headers,
						dump: `X-API-Key: ${req.headers['x-api-key']}\nCookie: ${req.headers.cookie}`,
						query: Object.fromEntries(url.searchParams),
					}),
				);
				return;
			}
			res.writeHead(201, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ received: body ? JSON.parse(body) : null }));
		});
	});
	return new Promise((resolve) =>
		server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits })),
	);
}

describe('secrets, empty bodies and colliding keys in real n8n', { timeout: 10 * 60_000 }, () => {
	let host: Host;
	let mock: Awaited<ReturnType<typeof startEchoServer>>;
	let run: ExecResult;
	let workflowId = '';
	const PG = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' };
	const schema = `e2e_sec_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
	const prefix = `e2e-sec-${randomUUID().slice(0, 8)}`;
	const pool = new Pool({ ...PG, max: 2 });
	const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });

	before(async () => {
		mock = await startEchoServer();
		host = await startHost();
		await redis.connect();
		const t = declaredNodeTypes().find((d) => d.type.endsWith('.resilientHttp'));
		const sink = declaredNodeTypes().find((d) => d.type.endsWith('.deadLetterSink'));
		assert.ok(t && sink);
		const [credId, plainCred, pgCred, redisCred] = await host.importCredentials([
			{ name: 'Header auth', type: 'httpHeaderAuth', data: { name: 'X-Api-Token', value: CRED_SECRET } },
			{ name: 'Plain header auth', type: 'httpHeaderAuth', data: { name: 'X-API-Key', value: PLAIN.cred } },
			{ name: 'DLQ PG', type: 'resiliencePostgresApi', data: { ...PG, password: '', ssl: 'disable', schema } },
			{ name: 'DLQ Redis', type: 'resilienceRedisApi', data: { host: '127.0.0.1', port: 6379, database: 0, keyPrefix: prefix } },
		]);
		const plainCreds = { header: { id: plainCred, name: 'Plain header auth' }, pg: { id: pgCred, name: 'DLQ PG' }, redis: { id: redisCred, name: 'DLQ Redis' } };
		const orders = `return [{ json: { orderId: 'A', amount: 1 } }, { json: { amount: 2 } }, { json: { amount: 3 } }];`;
		const wf = buildWorkflow(
			'secrets and keys',
			[
				{ name: 'Orders', type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode: orders } },
				{
					name: 'Echo',
					type: t.type,
					typeVersion: t.version,
					parameters: {
						preset: 'generic',
						method: 'GET',
						url: `${mock.base}/echo-401`,
						authentication: 'httpHeaderAuth',
						sendQuery: true,
						queryParameters: { parameters: [{ name: 'apiToken', value: QUERY_SECRET }] },
						sendHeaders: true,
						headerParameters: { parameters: [{ name: 'X-API-Key', value: HEADER_SECRET }, { name: 'Cookie', value: `sid=${COOKIE_SECRET}` }] },
					},
					credentials: { httpHeaderAuth: { id: credId, name: 'Header auth' } },
				},
				{
					name: 'EmptyBody',
					type: t.type,
					typeVersion: t.version,
					parameters: { method: 'POST', url: `${mock.base}/create-empty`, sendBody: true, bodyType: 'json', jsonBody: '={{ $json.orderId ? JSON.stringify({ id: $json.orderId }) : undefined }}' },
					extra: { onError: 'continueRegularOutput' },
				},
				{
					name: 'Charge',
					type: t.type,
					typeVersion: t.version,
					parameters: {
						method: 'POST',
						url: `${mock.base}/charge`,
						sendBody: true,
						bodyType: 'json',
						jsonBody: '={{ JSON.stringify({ amount: $json.amount }) }}',
						options: { idempotencyMode: 'custom', idempotencyKey: '=order-{{ $json.orderId ?? "" }}' },
					},
				},
				...plainNodes(mock.base, sink.type, plainCreds),
			],
			[
				['Start', 'Orders'],
				['Orders', 'Echo'],
				['Orders', 'EmptyBody'],
				['Orders', 'Charge'],
				...plainLinks,
			],
		);
		workflowId = await host.importWorkflow(wf);
		run = await host.execute(workflowId, { jsonLog: true });
	});

	after(async () => {
		await host?.cleanup();
		await new Promise((r) => mock?.server.close(r));
		await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
		await deleteKeys(redis, `${prefix}:*`).catch(() => 0);
		redis.disconnect();
		await pool.end();
	});

	it('runs', () => assert.ok(run.ok, describeRun(run)));

	it('no secret the request carried appears anywhere in the run, though the server echoed all of them', () => {
		const failed = outItems(run, 'Echo', 1);
		assertPaired(failed, 3);
		assert.equal(failed[0].json.resilience.status, 401);
		const { ['Plain HTTP']: _plain, ...ours } = run.runData as Record<string, unknown>;
		const text = JSON.stringify(ours);
		for (const s of [HEADER_SECRET, QUERY_SECRET, COOKIE_SECRET, CRED_SECRET]) assert.ok(!text.includes(s), `secret ${s} leaked`);
		assert.match(JSON.stringify(failed[0].json.resilience.attempts), /redacted/);
	});

	it('a plain HTTP Request error wired into the Sink: no echoed secret in PostgreSQL, Redis, static data, output items or logs', async () => {
		assert.equal(outItems(run, 'Plain HTTP', 1).length, 3, 'the plain node failed all three items onto its error output');
		assert.ok(plainLeaks(JSON.stringify(outItems(run, 'Plain HTTP', 1))).length > 0, 'n8n\'s own error output carries the echo: the test seeds what it claims');
		for (const sink of ['Sink PG', 'Sink Redis', 'Sink Static']) {
			const out = outItems(run, sink, 0);
			assertPaired(out, 3);
			assert.ok(out.every((o) => o.json.deadLetter.created === true), sink);
			assert.deepEqual(plainLeaks(JSON.stringify(out)), [], `${sink} output items`);
		}
		const rows = (await pool.query(`SELECT t::text AS row, reason FROM "${schema}".dead_letter_queue t`)).rows as { row: string; reason: string }[];
		assert.equal(rows.length, 3);
		assert.deepEqual(plainLeaks(rows.map((r) => r.row).join('\n')), [], 'PostgreSQL rows');
		assert.ok(rows.some((r) => /^400 - .*x-custom-token\\?": ?\\?"\[redacted\]/.test(r.reason)), 'the reason keeps its shape and header names');
		assert.ok(rows.some((r) => r.reason.includes('/bot[redacted]/services/T0/B0/[redacted]/plain-400')), 'the echoed URL stays readable');
		const stored = await redisDump(redis, prefix);
		assert.ok(stored.includes('plain'), 'the Redis entries exist');
		assert.deepEqual(plainLeaks(stored), [], 'Redis keys and values');
		const exported = await host.n8n(['export:workflow', `--id=${workflowId}`]);
		const staticData = JSON.stringify((JSON.parse(exported.stdout.slice(exported.stdout.indexOf('['))) as { staticData?: unknown }[])[0].staticData);
		assert.ok(staticData.includes('plain-400'), 'the static-data entries exist');
		assert.deepEqual(plainLeaks(staticData), [], 'workflow static data');
		const logs = readFileSync(host.logFile, 'utf8').split('\n').filter((l) => /"level":"(warn|error)"/.test(l));
		assert.deepEqual(plainLeaks(logs.join('\n')), [], 'n8n warn/error log lines');
	});

	it('a JSON body that evaluates to nothing for one item fails that item naming jsonBody; nothing is sent for it', () => {
		const sent = mock.hits.filter((h) => h.path === '/create-empty');
		assert.deepEqual(sent.map((h) => h.body), ['{"id":"A"}']);
		const ok = outItems(run, 'EmptyBody', 0);
		const failed = outItems(run, 'EmptyBody', 1);
		assert.equal(ok.length + failed.length, 3, 'no item disappears');
		assert.deepEqual(failed.map((f) => [f.pairedItem?.item, f.json.resilience.parameter]), [
			[1, 'jsonBody'],
			[2, 'jsonBody'],
		]);
	});

	it('a custom key shared by two different requests sends the first only and fails the second naming the key', () => {
		const sent = mock.hits.filter((h) => h.path === '/charge');
		assert.deepEqual(sent.map((h) => [h.key, h.body]), [
			['order-A', '{"amount":1}'],
			['order-', '{"amount":2}'],
		]);
		assert.equal(outItems(run, 'Charge', 0).length, 2);
		const failed = outItems(run, 'Charge', 1);
		assertPaired(failed, 1);
		assert.equal(failed[0].pairedItem?.item, 2);
		assert.equal(failed[0].json.resilience.parameter, 'options.idempotencyKey');
		assert.match(failed[0].json.resilience.reason, /already used by item 1/);
	});
});
