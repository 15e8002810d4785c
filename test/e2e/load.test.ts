// The package, installed the way users install it, loads in real n8n without warnings and its nodes run.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildWorkflow, declaredNodeTypes, describeRun, packageName, startHost, type Host } from './harness/host';

// Warnings n8n 2.8 prints on any headless start, unrelated to community packages.
const BENIGN = [/Migrations in progress/, /Failed to start Python task runner/];

// 'npm': `npm install` in ~/.n8n/nodes by hand; 'ui': what n8n's Community Nodes screen does (peer deps dropped).
for (const method of ['npm', 'ui'] as const) describe(`package installed by ${method} loads in real n8n`, { timeout: 10 * 60_000 }, () => {
	let host: Host;
	let server: Server;
	let hits = 0;
	let base = '';

	before(async () => {
		server = createServer((req, res) => {
			hits++;
			res.setHeader('content-type', 'application/json');
			res.end(JSON.stringify({ ok: true, path: req.url }));
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		host = await startHost({ method });
	});

	after(async () => {
		await host?.cleanup();
		server?.close();
	});

	it('lists every node the package declares among the node types n8n loaded', async () => {
		const loaded = new Set((await host.exportNodeTypes()).map((t: { name: string }) => t.name));
		const declared = declaredNodeTypes();
		assert.ok(declared.length > 0, 'package.json declares no nodes');
		for (const d of declared) assert.ok(loaded.has(d.type), `${d.type} not among n8n's node types`);
	});

	it('runs the Resilient HTTP node once per item against a loopback server', async () => {
		const http = declaredNodeTypes().find((d) => d.type.endsWith('.resilientHttp'));
		assert.ok(http, 'no resilientHttp node declared');
		const wf = buildWorkflow(`load: resilient http smoke (${method})`, [
			{ name: 'HTTP', type: http.type, typeVersion: http.version, parameters: { method: 'GET', url: `${base}/ping` } },
		]);
		const id = await host.importWorkflow(wf);
		hits = 0;
		const r = await host.execute(id);
		assert.ok(r.ok, describeRun(r));
		assert.equal(hits, 1, 'one request for the single input item');
		const success = r.items('HTTP', 0);
		assert.equal(success.length, 1);
		assert.equal(r.items('HTTP', 1).length, 0, 'nothing on Failed');
	});

	it("leaves no warning or error in n8n's log about the package", () => {
		const names = [packageName, 'resilien', ...declaredNodeTypes().map((d) => d.displayName)];
		const ours = host.problems().filter((p: { message: string }) => names.some((n) => p.message.toLowerCase().includes(n.toLowerCase())));
		assert.deepEqual(ours, [], 'warnings/errors mentioning the package');
		const other = host.problems().filter((p: { message: string }) => !BENIGN.some((re) => re.test(p.message)));
		assert.deepEqual(other, [], 'unexpected warnings/errors while n8n loaded and ran the package');
	});
});
