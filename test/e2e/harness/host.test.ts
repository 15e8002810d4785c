// The n8n host itself: run output parsing, failures, static data across runs, credentials and a webhook server.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseRunOutput } from '../../../scripts/n8n-host.mjs';
import { buildWorkflow, describeRun, startHost, type Host } from './host';

describe('parseRunOutput', () => {
	const run = { data: { resultData: { runData: { A: [] } } }, status: 'success', finished: true };
	const printed = JSON.stringify(run, null, 2);

	it('finds the run between log lines, ignoring a stray "{" line', () => {
		const text = ['n8n Task Broker ready on 127.0.0.1, port 5679', '{', 'not json', '}', printed, 'shutting down'].join('\n');
		assert.deepEqual(parseRunOutput(text), run);
	});

	it('returns null when the output holds no run (truncated or absent)', () => {
		assert.equal(parseRunOutput(printed.slice(0, -20)), null);
		assert.equal(parseRunOutput('Error executing workflow.'), null);
	});
});

describe('n8n host', { timeout: 10 * 60_000 }, () => {
	let host: Host;
	let server: Server;
	let seenAuth: (string | undefined)[] = [];
	let base = '';

	before(async () => {
		server = createServer((req, res) => {
			seenAuth.push(req.headers['x-api-key'] as string | undefined);
			res.setHeader('content-type', 'application/json');
			res.end('{"pong":true}');
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		host = await startHost({ install: false, env: { HOST_TEST_WORD: 'forty-two' } });
	});

	after(async () => {
		await host?.cleanup();
		server?.close();
	});

	it('executes a workflow that reads env and returns its items', async () => {
		const wf = buildWorkflow('host: set', [
			{
				name: 'Set',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				parameters: { assignments: { assignments: [{ id: 'a', name: 'word', value: '={{ $env.HOST_TEST_WORD }}', type: 'string' }] }, options: {} },
			},
		]);
		const r = await host.execute(await host.importWorkflow(wf));
		assert.ok(r.ok, describeRun(r));
		assert.deepEqual(r.items('Set'), [{ word: 'forty-two' }]);
	});

	it('reports a failed execution with its error instead of throwing', async () => {
		const wf = buildWorkflow('host: fail', [
			{ name: 'Stop', type: 'n8n-nodes-base.stopAndError', typeVersion: 1, parameters: { errorMessage: 'deliberate stop' } },
		]);
		const r = await host.execute(await host.importWorkflow(wf));
		assert.equal(r.ok, false);
		assert.notEqual(r.code, 0);
		assert.match(String((r.error as { message?: string })?.message), /deliberate stop/);
	});

	it('keeps workflow static data between executions (Code node through the task runner)', async () => {
		const code = "const s = $getWorkflowStaticData('global'); s.n = (s.n ?? 0) + 1; return [{ json: { n: s.n } }];";
		const id = await host.importWorkflow(buildWorkflow('host: static', [{ name: 'Count', type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode: code } }]));
		const first = await host.execute(id);
		const second = await host.execute(id);
		assert.ok(first.ok && second.ok, describeRun(first.ok ? second : first));
		assert.deepEqual([first.items('Count')[0].n, second.items('Count')[0].n], [1, 2]);
	});

	it('imports a credential n8n decrypts and sends', async () => {
		const [credId] = await host.importCredentials([{ name: 'Test key', type: 'httpHeaderAuth', data: { name: 'X-Api-Key', value: 'k-123' } }]);
		const wf = buildWorkflow('host: credential', [
			{
				name: 'HTTP',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				parameters: { url: `${base}/ping`, authentication: 'genericCredentialType', genericAuthType: 'httpHeaderAuth', options: {} },
				credentials: { httpHeaderAuth: { id: credId, name: 'Test key' } },
			},
		]);
		seenAuth = [];
		const r = await host.execute(await host.importWorkflow(wf));
		assert.ok(r.ok, describeRun(r));
		assert.deepEqual(seenAuth, ['k-123']);
	});

	it('serves an active webhook workflow from n8n start', async () => {
		const wf = buildWorkflow('host: webhook', [], []);
		wf.nodes = [
			{
				id: '00000000-0000-4000-8000-0000000000a1',
				name: 'Hook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				parameters: { httpMethod: 'POST', path: 'host-test', responseMode: 'lastNode', options: {} },
				webhookId: '6a0c1f6e-3d1b-4c39-9a57-2f7f6f0d8b11',
			} as never,
			{
				id: '00000000-0000-4000-8000-0000000000a2',
				name: 'Double',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [220, 0],
				parameters: { assignments: { assignments: [{ id: 'd', name: 'twice', value: '={{ $json.body.x * 2 }}', type: 'number' }] }, options: {} },
			} as never,
		];
		wf.connections = { Hook: { main: [[{ node: 'Double', type: 'main', index: 0 }]] } };
		await host.importWorkflow(wf, { activate: true });
		const srv = await host.startServer();
		try {
			const res = await fetch(srv.webhookUrl('host-test'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"x":21}' });
			assert.equal(res.status, 200);
			assert.deepEqual(await res.json(), { twice: 42 });
		} finally {
			await host.stop();
		}
	});
});
