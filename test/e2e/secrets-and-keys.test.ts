// Found by a fresh-user test in real n8n: servers echo secrets back in error bodies, a body expression can evaluate to
// nothing for one item, and a custom idempotency key can collide across different records. None may leak or lose a record.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildWorkflow, declaredNodeTypes, describeRun, startHost, type ExecResult, type Host } from './harness/host';
import { assertPaired, outItems } from './oauth-mock/helpers';

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

	before(async () => {
		mock = await startEchoServer();
		host = await startHost();
		const t = declaredNodeTypes().find((d) => d.type.endsWith('.resilientHttp'));
		assert.ok(t);
		const [credId] = await host.importCredentials([{ name: 'Header auth', type: 'httpHeaderAuth', data: { name: 'X-Api-Token', value: CRED_SECRET } }]);
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
			],
			[
				['Start', 'Orders'],
				['Orders', 'Echo'],
				['Orders', 'EmptyBody'],
				['Orders', 'Charge'],
			],
		);
		run = await host.execute(await host.importWorkflow(wf));
	});

	after(async () => {
		await host?.cleanup();
		await new Promise((r) => mock?.server.close(r));
	});

	it('runs', () => assert.ok(run.ok, describeRun(run)));

	it('no secret the request carried appears anywhere in the run, though the server echoed all of them', () => {
		const failed = outItems(run, 'Echo', 1);
		assertPaired(failed, 3);
		assert.equal(failed[0].json.resilience.status, 401);
		const text = JSON.stringify(run.runData);
		for (const s of [HEADER_SECRET, QUERY_SECRET, COOKIE_SECRET, CRED_SECRET]) assert.ok(!text.includes(s), `secret ${s} leaked`);
		assert.match(JSON.stringify(failed[0].json.resilience.attempts), /redacted/);
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
