// Opt-in (N8N_HOST_NEWEST=1): the package on the newest n8n line, on Node 24 with PostgreSQL; a 10-minute first install.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildWorkflow, declaredNodeTypes, describeRun, packageName, startHost, type Host } from './host';

const VERSION = process.env.N8N_HOST_NEWEST_VERSION ?? '2.40.7';
const skip = process.env.N8N_HOST_NEWEST === '1' ? false : 'set N8N_HOST_NEWEST=1 (installs n8n 2.40.x and Node 24, needs PostgreSQL on 127.0.0.1:5432)';

describe(`package on n8n ${VERSION}, Node 24, PostgreSQL`, { skip, timeout: 30 * 60_000 }, () => {
	let host: Host;
	let server: Server;
	let hits = 0;
	let base = '';

	before(async () => {
		server = createServer((_req, res) => {
			hits++;
			res.setHeader('content-type', 'application/json');
			res.end('{"ok":true}');
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		host = await startHost({ version: VERSION, node: 24, postgres: true });
	});

	after(async () => {
		await host?.cleanup();
		server?.close();
	});

	it('loads every declared node and runs Resilient HTTP', async () => {
		const loaded = new Set((await host.exportNodeTypes()).map((t: { name: string }) => t.name));
		for (const d of declaredNodeTypes()) assert.ok(loaded.has(d.type), `${d.type} not loaded`);
		const http = declaredNodeTypes().find((d) => d.type.endsWith('.resilientHttp'))!;
		const wf = buildWorkflow('newest: smoke', [{ name: 'HTTP', type: http.type, typeVersion: http.version, parameters: { method: 'GET', url: `${base}/x` } }]);
		const r = await host.execute(await host.importWorkflow(wf));
		assert.ok(r.ok, describeRun(r));
		assert.equal(hits, 1);
		assert.equal(r.items('HTTP', 0).length, 1);
	});

	it("leaves no warning or error about the package in n8n's log", () => {
		const ours = host.problems().filter((p: { message: string }) => p.message.toLowerCase().includes(packageName) || /resilien/i.test(p.message));
		assert.deepEqual(ours, []);
	});
});
