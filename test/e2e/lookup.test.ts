// "Look Up Lost Writes" in real n8n: enrollments whose answer is lost (reset or timeout after sending, no idempotency
// key) are read back instead of resent blindly; the mock's ledger shows each enrollment made exactly once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildWorkflow, declaredNodeTypes, describeRun, startHost, type ExecResult, type Host, type NodeSpec } from './harness/host';
import { assertPaired, outItems } from './oauth-mock/helpers';

/** What the first POST for a prospect meets; later POSTs and every lookup are answered normally. */
const FIRST_POST: Record<string, 'ok' | 'commit-then-reset' | 'reset-before-commit' | 'commit-then-stall'> = {
	'p-ok': 'ok',
	'p-after': 'commit-then-reset',
	'p-before': 'reset-before-commit',
	'p-slow': 'commit-then-stall',
	'p-dark': 'reset-before-commit',
};

interface SequencerMock {
	server: Server;
	base: string;
	posts: Map<string, number>;
	enrolled: Map<string, number>;
	lookups: Map<string, number>;
}

function startSequencer(): Promise<SequencerMock> {
	const posts = new Map<string, number>();
	const enrolled = new Map<string, number>();
	const lookups = new Map<string, number>();
	const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
	const server = createServer((req, res) => {
		let body = '';
		req.on('data', (c) => (body += c));
		req.on('end', () => {
			const url = new URL(req.url ?? '/', 'http://x');
			if (req.method === 'GET' && url.pathname === '/sequenceStates') {
				const prospect = url.searchParams.get('prospect') ?? '';
				bump(lookups, prospect);
				// The lookup itself is down for this prospect: "not found" must not be inferred from a failed read.
				if (prospect.endsWith('-dark')) return void res.writeHead(503).end('down');
				const data = enrolled.has(prospect) ? [{ id: `ss-${prospect}`, type: 'sequenceState' }] : [];
				res.writeHead(200, { 'content-type': 'application/vnd.api+json' }).end(JSON.stringify({ data }));
				return;
			}
			const prospect = String(JSON.parse(body || '{}').prospectId ?? '');
			bump(posts, prospect);
			const first = posts.get(prospect) === 1;
			const fault = first ? FIRST_POST[prospect.replace(/^run2-/, '')] : 'ok';
			if (fault === 'reset-before-commit') return void req.socket.destroy();
			bump(enrolled, prospect);
			if (fault === 'commit-then-reset') return void req.socket.destroy();
			if (fault === 'commit-then-stall') return void setTimeout(() => res.writeHead(201).end('{}'), 3000);
			res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { id: `ss-${prospect}` } }));
		});
	});
	return new Promise((resolve) =>
		server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, posts, enrolled, lookups })),
	);
}

describe('Look Up Lost Writes in real n8n', { timeout: 10 * 60_000 }, () => {
	let host: Host;
	let mock: SequencerMock;
	let type: { type: string; version: number };
	const prospects = (prefix: string) => Object.keys(FIRST_POST).map((p) => `${prefix}${p}`);

	const workflow = (name: string, ids: string[], notFound: 'flag' | 'resend') => {
		const enroll: NodeSpec = {
			name: 'Enroll',
			type: type.type,
			typeVersion: type.version,
			parameters: {
				preset: 'outreach',
				rateLimit: 'off',
				method: 'POST',
				url: `${mock.base}/sequenceStates`,
				sendBody: true,
				bodyType: 'json',
				jsonBody: '={{ JSON.stringify({ prospectId: $json.prospectId }) }}',
				lookUpLostWrites: true,
				lookupUrl: `=${mock.base}/sequenceStates?prospect={{ $json.prospectId }}`,
				lookupFoundWhen: '$.data[0].id',
				lookupMaxTries: 2,
				lookupIntervalMs: 300,
				lookupNotFound: notFound,
				options: { timeoutMs: 1000 },
			},
		};
		const code = `return ${JSON.stringify(ids)}.map((prospectId) => ({ json: { prospectId } }));`;
		return buildWorkflow(name, [{ name: 'Prospects', type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode: code } }, enroll]);
	};

	const run = async (wf: ReturnType<typeof workflow>): Promise<ExecResult> => {
		const r = await host.execute(await host.importWorkflow(wf));
		assert.ok(r.ok, describeRun(r));
		return r;
	};

	before(async () => {
		mock = await startSequencer();
		host = await startHost();
		type = declaredNodeTypes().find((d) => d.type.endsWith('.resilientHttp'))!;
	});

	after(async () => {
		await host?.cleanup();
		await new Promise((r) => mock?.server.close(r));
	});

	it('Send Again: found writes end on Success as reconciled, proven-absent ones are sent once more, each enrolled exactly once', async () => {
		const r = await run(workflow('lookup: resend', prospects(''), 'resend'));
		const ok = outItems(r, 'Enroll', 0);
		const failed = outItems(r, 'Enroll', 1);
		assert.equal(ok.length + failed.length, 5, 'no item disappears');
		const byProspect = (items: typeof ok) => Object.fromEntries(items.map((i) => [prospects('')[i.pairedItem!.item], i.json]));
		const success = byProspect(ok);
		assert.deepEqual(Object.keys(success).sort(), ['p-after', 'p-before', 'p-ok', 'p-slow']);
		assert.deepEqual(success['p-after'].data, [{ id: 'ss-p-after', type: 'sequenceState' }], 'the lookup\'s answer is the item');
		assert.equal(success['p-after'].reconciled.lookups, 1);
		assert.equal(success['p-slow'].reconciled.lookups, 1, 'a timeout after the server committed is found, not resent');
		assert.equal(success['p-before'].reconciled, undefined, 'sent again after the lookups, so the item is the create answer');
		assert.equal(success['p-ok'].reconciled, undefined);
		// The lookup for p-dark failed twice: absence was never shown, so nothing was resent.
		assertPaired(failed, 1);
		assert.equal(prospects('')[failed[0].pairedItem!.item], 'p-dark');
		assert.equal(failed[0].json.resilience.outcome, 'ambiguous');
		assert.equal(failed[0].json.resilience.ambiguous, true);
		assert.deepEqual(Object.fromEntries(mock.posts), { 'p-ok': 1, 'p-after': 1, 'p-before': 2, 'p-slow': 1, 'p-dark': 1 });
		assert.deepEqual(Object.fromEntries(mock.enrolled), { 'p-ok': 1, 'p-after': 1, 'p-before': 1, 'p-slow': 1 }, 'each enrollment made exactly once');
		assert.deepEqual(Object.fromEntries(mock.lookups), { 'p-after': 1, 'p-before': 2, 'p-slow': 1, 'p-dark': 2 });
	});

	it('Flag as Ambiguous: a write the lookup cannot find stays on Failed, flagged, and is not resent', async () => {
		const r = await run(workflow('lookup: flag', prospects('run2-'), 'flag'));
		const ok = outItems(r, 'Enroll', 0).map((i) => prospects('run2-')[i.pairedItem!.item]);
		const failed = outItems(r, 'Enroll', 1);
		assert.deepEqual(ok.sort(), ['run2-p-after', 'run2-p-ok', 'run2-p-slow']);
		assert.deepEqual(failed.map((f) => prospects('run2-')[f.pairedItem!.item]).sort(), ['run2-p-before', 'run2-p-dark']);
		for (const f of failed) {
			assert.equal(f.json.resilience.outcome, 'ambiguous');
			assert.ok(f.json.resilience.attempts.some((a: { lookup?: boolean }) => a.lookup), 'the lookups are in the attempt history');
		}
		assert.equal(mock.posts.get('run2-p-before'), 1, 'not resent');
		assert.equal(mock.enrolled.has('run2-p-before'), false);
	});

	it('a Lookup URL that is not a URL fails the node naming lookupUrl and the item', async () => {
		const wf = workflow('lookup: bad url', ['x'], 'flag');
		(wf.nodes.find((n: { name: string }) => n.name === 'Enroll')!.parameters as Record<string, unknown>).lookupUrl = 'not a url';
		const r = await host.execute(await host.importWorkflow(wf));
		assert.equal(r.ok, false);
		assert.match(JSON.stringify(r.error), /lookupUrl|Lookup URL/);
		assert.equal(mock.posts.get('x'), undefined, 'nothing was sent');
	});
});
