// Found by a fresh-user test in real n8n: a POST answered with a redirect to a failing page was resent on every retry;
// Dead Letter Sink items it could not store stayed on the success branch under "Continue (using error output)"; a
// Custom idempotency key of null went out as "null"; a bad key header name was retried as a network error; a copy of
// a request in the same batch was blamed on "another execution". Each must now end in one visible, right place.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildWorkflow, declaredNodeTypes, describeRun, startHost, type ExecResult, type Host } from './harness/host';
import { assertPaired, outItems } from './oauth-mock/helpers';

interface Hit {
	method: string;
	path: string;
	key?: string;
	query: string;
	body: string;
}

describe('what a fresh user broke, in real n8n', { timeout: 10 * 60_000 }, () => {
	let host: Host;
	let server: Server;
	let base = '';
	let run: ExecResult;
	const hits: Hit[] = [];
	const hitsOn = (path: string) => hits.filter((h) => h.path === path);

	before(async () => {
		server = createServer((req, res) => {
			let body = '';
			req.on('data', (c) => (body += c));
			req.on('end', () => {
				const url = new URL(req.url ?? '/', 'http://x');
				hits.push({ method: req.method ?? '', path: url.pathname, key: req.headers['idempotency-key'] as string | undefined, query: url.search, body });
				if (url.pathname === '/redirect') {
					res.writeHead(302, { location: '/down' });
					res.end();
					return;
				}
				if (url.pathname === '/down') {
					res.writeHead(503, { 'content-type': 'application/json' });
					res.end('{"message":"down"}');
					return;
				}
				res.writeHead(201, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ id: hits.length }));
			});
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		host = await startHost();
		const http = declaredNodeTypes().find((d) => d.type.endsWith('.resilientHttp'));
		const sink = declaredNodeTypes().find((d) => d.type.endsWith('.deadLetterSink'));
		assert.ok(http && sink);
		const post = (name: string, path: string, options: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
			name,
			type: http.type,
			typeVersion: http.version,
			parameters: { method: 'POST', url: `${base}${path}`, sendBody: true, bodyType: 'json', jsonBody: '={{ JSON.stringify({ lead: $json.lead }) }}', options, ...extra },
		});
		const items = `return [{ json: { lead: 'L1', q: 'crm', k: null } }, { json: { lead: 'L2', q: 'has space', k: { x: 1 } } }, { json: { lead: 'L2', q: '', k: 'ok-1' } }];`;
		const wf = buildWorkflow(
			'misuse',
			[
				{ name: 'Items', type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode: items } },
				post('Redirected', '/redirect', { maxAttempts: 4, baseDelayMs: 10 }),
				// Bad configuration stops the node unless continue-on-fail is on; with it the items go to Failed.
				{ ...post('NullKey', '/keyed', { idempotencyMode: 'custom', idempotencyKey: '={{ $json.k }}' }), extra: { onError: 'continueRegularOutput' } },
				{ ...post('BadHeader', '/header', { idempotencyMode: 'auto', idempotencyHeader: 'Bad Header:' }), extra: { onError: 'continueRegularOutput' } },
				post('Copies', '/copies', { idempotencyMode: 'custom', idempotencyKey: '=lead-{{ $json.lead }}', concurrency: 3 }, { idempotencyGuard: true }),
				{
					name: 'Repeated',
					type: http.type,
					typeVersion: http.version,
					parameters: {
						method: 'POST',
						url: `${base}/repeated`,
						sendQuery: true,
						queryParameters: { parameters: [{ name: 'id', value: '1' }, { name: 'id', value: '2' }] },
						sendBody: true,
						bodyType: 'form',
						formParameters: { parameters: [{ name: 'tag', value: 'x' }, { name: 'tag', value: '={{ $json.lead }}' }] },
					},
				},
				{
					name: 'Sink',
					type: sink.type,
					typeVersion: sink.version,
					parameters: { operation: 'write', queue: '={{ $json.q }}', reason: 'manual review' },
					extra: { onError: 'continueErrorOutput' },
				},
			],
			[
				['Start', 'Items'],
				['Items', 'Redirected'],
				['Items', 'NullKey'],
				['Items', 'BadHeader'],
				['Items', 'Copies'],
				['Items', 'Sink'],
				['Items', 'Repeated'],
			],
		);
		run = await host.execute(await host.importWorkflow(wf));
		assert.ok(run.ok, describeRun(run));
	});

	after(async () => {
		await host?.cleanup();
		server?.close();
	});

	it('a POST answered by a redirect is sent once and not followed: no GET to the 503 page, no resend', () => {
		assert.equal(hitsOn('/redirect').length, 3, 'one POST per item, never again');
		assert.deepEqual([...new Set(hitsOn('/redirect').map((h) => h.method))], ['POST']);
		assert.equal(hitsOn('/down').length, 0, 'the redirect was not followed');
		const failed = outItems(run, 'Redirected', 1);
		assertPaired(failed, 3);
		for (const i of failed) {
			assert.deepEqual([i.json.resilience.outcome, i.json.resilience.class], ['failed-permanent', 'permanent']);
			assert.match(i.json.resilience.reason, /HTTP 302 Found: redirected to \/down; a POST is not followed/);
			assert.equal(i.json.resilience.attempts.length, 1);
		}
	});

	it('a Custom key that is null or an object fails that item naming the option; a good key goes out', () => {
		const failed = outItems(run, 'NullKey', 1);
		assert.equal(failed.length, 2);
		assert.deepEqual(failed.map((i) => i.pairedItem?.item).sort(), [0, 1]);
		for (const i of failed) {
			assert.equal(i.json.resilience.outcome, 'invalid-configuration');
			assert.equal(i.json.resilience.parameter, 'options.idempotencyKey');
		}
		assert.match(failed.find((i) => i.pairedItem?.item === 1)?.json.resilience.reason, /must be text or a number, not an object/);
		assert.deepEqual(
			hitsOn('/keyed').map((h) => h.key),
			['ok-1'],
			'only the item with a real key was sent, with that key; never "null" or "[object Object]"',
		);
		assert.equal(outItems(run, 'NullKey', 0).length, 1);
	});

	it('a bad Idempotency Header Name is a configuration error with no request, not a retried network failure', () => {
		const failed = outItems(run, 'BadHeader', 1);
		assertPaired(failed, 3);
		for (const i of failed) {
			assert.equal(i.json.resilience.outcome, 'invalid-configuration');
			assert.equal(i.json.resilience.parameter, 'options.idempotencyHeader');
		}
		assert.equal(hitsOn('/header').length, 0);
	});

	it('two items carrying the same request in one batch: sent once, the copy names the item that sends it', () => {
		assert.equal(hitsOn('/copies').length, 2, 'L1 once and L2 once');
		const failed = outItems(run, 'Copies', 1);
		assert.equal(failed.length, 1);
		const rep = failed[0].json.resilience;
		assert.equal(rep.rule, 'idempotency.same-batch');
		assert.equal(rep.sameBatchAs, failed[0].pairedItem?.item === 1 ? 2 : 1);
		assert.match(rep.reason, /of this execution carries the same request/);
		assert.equal(outItems(run, 'Copies', 0).length, 2);
	});

	it('Dead Letter Sink under "Continue (using error output)": items it could not store leave on the error output', () => {
		const written = outItems(run, 'Sink', 0);
		const errors = outItems(run, 'Sink', 1);
		assert.equal(written.length, 1, 'only the item with a valid queue was written');
		assert.equal(written[0].json.deadLetter.queue, 'crm');
		assert.equal(errors.length, 2);
		assert.deepEqual(errors.map((i) => i.pairedItem?.item).sort(), [1, 2]);
		for (const i of errors) {
			// As for n8n's own nodes: the input item's fields, and error saying why it was not stored.
			assert.match(String(i.json.error), /^Parameter "queue" \(item \d\): /);
			assert.equal(i.json.lead, 'L2', 'the input fields travel with the error');
		}
	});

	it('a query or form name given twice sends both values, in order, through n8n\'s request helper', () => {
		const sent = hitsOn('/repeated');
		assert.equal(sent.length, 3);
		for (const h of sent) assert.equal(h.query, '?id=1&id=2');
		assert.deepEqual(sent.map((h) => h.body).sort(), ['tag=x&tag=L1', 'tag=x&tag=L2', 'tag=x&tag=L2']);
	});
});
