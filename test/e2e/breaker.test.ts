// Real n8n: an endpoint that goes down trips the breaker, load drops to the probes, and it recovers when the endpoint
// returns — for Resilient HTTP (embedded state carried between `n8n execute` runs by static data, and Redis) and for
// the Circuit Breaker node around n8n's own HTTP Request node (examples/breaker-around-any-node.json).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Redis from 'ioredis';
import { buildWorkflow, declaredNodeTypes, describeRun, repoDir, startHost, type ExecResult, type Host } from './harness/host';
import { assertPaired, itemsNode, outItems, type Item } from './oauth-mock/helpers';

const OPEN_MS = 3000;

describe('circuit breaker in real n8n', { timeout: 20 * 60_000 }, () => {
	let host: Host;
	let server: Server;
	let base = '';
	let down = true;
	let hits = 0;
	let closedPort = 0;
	const prefix = `e2e-breaker-${process.pid}`;
	const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
	let http = '';
	let breakerType = '';
	const creds = { redis: '', deadRedis: '' };

	before(async () => {
		server = createServer((req, res) => {
			hits++;
			res.setHeader('content-type', 'application/json');
			res.statusCode = down ? 503 : 200;
			res.end(JSON.stringify(down ? { message: 'temporarily unavailable' } : { ok: true, path: req.url }));
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		const probe = createServer();
		await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
		closedPort = (probe.address() as AddressInfo).port;
		await new Promise((r) => probe.close(r));
		host = await startHost();
		http = declaredNodeTypes().find((d) => d.type.endsWith('.resilientHttp'))!.type;
		breakerType = declaredNodeTypes().find((d) => d.type.endsWith('.circuitBreaker'))!.type;
		[creds.redis, creds.deadRedis] = await host.importCredentials([
			{ name: 'Redis', type: 'resilienceRedisApi', data: { host: '127.0.0.1', port: 6379, database: 0, keyPrefix: prefix } },
			{ name: 'Dead Redis', type: 'resilienceRedisApi', data: { host: '127.0.0.1', port: closedPort, database: 0, keyPrefix: prefix } },
		]);
		await redis.connect();
	});

	after(async () => {
		await host?.cleanup();
		server?.close();
		const keys = await redis.keys(`${prefix}:*`).catch(() => [] as string[]);
		if (keys.length) await redis.del(...keys);
		redis.disconnect();
	});

	/** Runs a workflow and returns what it did to the mock. */
	async function exec(id: string, endpointDown: boolean): Promise<{ r: ExecResult; hits: number }> {
		down = endpointDown;
		const before = hits;
		const r = await host.execute(id);
		assert.ok(r.ok, describeRun(r));
		return { r, hits: hits - before };
	}
	const outcomes = (items: Item[]) =>
		items.reduce<Record<string, number>>((m, i) => ({ ...m, [i.json.resilience.outcome]: (m[i.json.resilience.outcome] ?? 0) + 1 }), {});
	/** Sleeps until every breaker in these items would half-open. */
	async function waitPast(items: Item[]) {
		const at = Math.max(...items.map((i) => Date.parse(i.json.resilience?.retryAt ?? i.json.circuitBreaker?.retryAt ?? '0')));
		if (at > Date.now()) await new Promise((r) => setTimeout(r, at - Date.now() + 100));
	}
	const httpWorkflow = (name: string, count: number, extra: Record<string, unknown> = {}, credentials?: Record<string, { id: string; name: string }>) =>
		buildWorkflow(name, [
			itemsNode('Items', count),
			{
				name: 'HTTP',
				type: http,
				parameters: {
					preset: 'generic',
					method: 'GET',
					url: `=${base}/api/items/{{ $json.row }}`,
					circuitBreaker: true,
					breakerPolicy: { resetTimeoutMs: OPEN_MS },
					options: { maxAttempts: 1 },
					...extra,
				},
				credentials,
			},
		]);

	it('Resilient HTTP, embedded state: 200 items against a dead endpoint trip it, probes only, then it recovers', async () => {
		const id = await host.importWorkflow(httpWorkflow('breaker: resilient http embedded', 200));

		const first = await exec(id, true);
		const failed1 = outItems(first.r, 'HTTP', 1);
		assertPaired(failed1, 200);
		const o1 = outcomes(failed1);
		console.log(`run 1 (down): ${first.hits} requests for 200 items; outcomes ${JSON.stringify(o1)}`);
		assert.ok(first.hits >= 10 && first.hits <= 14, `trips after the 10-call minimum (+ up to 4 in flight): ${first.hits}`);
		assert.equal(o1['failed-exhausted'], first.hits);
		assert.equal(o1['circuit-open'], 200 - first.hits);
		const shed = failed1.filter((i) => i.json.resilience.outcome === 'circuit-open');
		for (const i of shed) {
			assert.equal(i.json.resilience.rule, 'breaker.open');
			assert.equal(i.json.resilience.attempts.length, 0, 'no request for a shed item');
			assert.ok(Date.parse(i.json.resilience.retryAt) > Date.now() - OPEN_MS, i.json.resilience.retryAt);
			assert.equal(i.json.resilience.breaker.state, 'open');
			assert.match(i.json.resilience.breaker.name, /^GET 127\.0\.0\.1:\d+\/api\/items\/:id$/);
			assert.equal(i.json.resilience.breaker.store.backend, 'embedded');
		}
		assert.equal(typeof i0(first.r).resilience.breaker.store.stateSaved, 'boolean');

		await waitPast(shed);
		const second = await exec(id, true);
		const o2 = outcomes(outItems(second.r, 'HTTP', 1));
		console.log(`run 2 (still down, half-open): ${second.hits} requests; outcomes ${JSON.stringify(o2)}`);
		assert.equal(second.hits, 1, 'static data carried the open breaker into a new process; only one probe went out');
		assert.deepEqual(o2, { 'failed-exhausted': 1, 'circuit-open': 199 });

		await waitPast(outItems(second.r, 'HTTP', 1));
		const third = await exec(id, false);
		const ok3 = outItems(third.r, 'HTTP', 0);
		console.log(`run 3 (back up): ${third.hits} requests, ${ok3.length} succeeded, ${outItems(third.r, 'HTTP', 1).length} shed while the probe was out`);
		// The items that met the probe in flight waited for its answer, so the run that finds the API back loses none.
		assert.equal(third.hits, 200, 'the probe, then every other item once it closed the breaker');
		assertPaired(ok3, 200);

		const fourth = await exec(id, false);
		console.log(`run 4 (closed): ${fourth.hits} requests, ${outItems(fourth.r, 'HTTP', 0).length} succeeded`);
		assert.equal(fourth.hits, 200);
		assertPaired(outItems(fourth.r, 'HTTP', 0), 200);
	});

	const i0 = (r: ExecResult) => outItems(r, 'HTTP', 1)[0].json;

	it('Resilient HTTP, Redis backend: the breaker lives in Redis, so the next execution sees it open', async () => {
		const id = await host.importWorkflow(
			httpWorkflow('breaker: resilient http redis', 40, { stateBackend: 'redis', breakerPolicy: { resetTimeoutMs: 120_000 } }, { resilienceRedisApi: { id: creds.redis, name: 'Redis' } }),
		);
		const first = await exec(id, true);
		const o1 = outcomes(outItems(first.r, 'HTTP', 1));
		console.log(`redis run 1 (down): ${first.hits} requests for 40 items; ${JSON.stringify(o1)}`);
		assert.ok(first.hits >= 10 && first.hits <= 14, String(first.hits));
		const stateKeys = (await redis.keys(`${prefix}:wf:${id}:breaker:*`)).filter((k) => !k.endsWith(':events'));
		assert.equal(stateKeys.length, 1, JSON.stringify(stateKeys));
		assert.equal(JSON.parse((await redis.get(stateKeys[0]))!).state, 'open');
		const second = await exec(id, true);
		assert.equal(second.hits, 0, 'still open: nothing sent');
		assert.deepEqual(outcomes(outItems(second.r, 'HTTP', 1)), { 'circuit-open': 40 });
		assert.equal(i0(second.r).resilience.breaker.store.backend, 'redis');
	});

	it('Redis unreachable: "fail" fails the items with a clear error, "fallback" runs on embedded state and says so', async () => {
		const cred = { resilienceRedisApi: { id: creds.deadRedis, name: 'Dead Redis' } };
		const wf = buildWorkflow(
			'breaker: redis unreachable',
			[
				itemsNode('Items', 3),
				{ name: 'Fail', type: http, parameters: { url: `=${base}/api/a/{{ $json.row }}`, circuitBreaker: true, stateBackend: 'redis', options: { maxAttempts: 1 } }, credentials: cred },
				{ name: 'Fallback', type: http, parameters: { url: `=${base}/api/b/{{ $json.row }}`, circuitBreaker: true, stateBackend: 'redis', onStoreUnreachable: 'fallback', options: { maxAttempts: 1 } }, credentials: cred },
				{ name: 'CheckFail', type: breakerType, parameters: { operation: 'check', breakerKey: 'crm', stateBackend: 'redis' }, credentials: cred, extra: { onError: 'continueRegularOutput' } },
				{ name: 'CheckFallback', type: breakerType, parameters: { operation: 'check', breakerKey: 'crm', stateBackend: 'redis', onStoreUnreachable: 'fallback' }, credentials: cred },
			],
			[['Start', 'Items'], ['Items', 'Fail'], ['Items', 'Fallback'], ['Items', 'CheckFail'], ['Items', 'CheckFallback']],
		);
		const run = await exec(await host.importWorkflow(wf), false);
		const failed = outItems(run.r, 'Fail', 1);
		assertPaired(failed, 3);
		for (const i of failed) {
			assert.equal(i.json.resilience.rule, 'breaker.store-unreachable');
			// A store outage says nothing about the record: deferred and transient, so a default replay or a rerun sends it.
			assert.deepEqual([i.json.resilience.outcome, i.json.resilience.class], ['deferred', 'transient']);
			assert.ok(Date.parse(i.json.resilience.retryAt) > Date.now(), `retryAt ahead: ${i.json.resilience.retryAt}`);
			assert.match(i.json.resilience.reason, new RegExp(`Redis \\(127\\.0\\.0\\.1:${closedPort}\\) is unreachable.*Fall Back to Embedded`));
			assert.equal(i.json.resilience.breaker.store.onUnreachable, 'fail');
		}
		const ok = outItems(run.r, 'Fallback', 0);
		assertPaired(ok, 3);
		for (const i of ok) {
			assert.equal(i.json.ok, true);
			assert.deepEqual({ ...i.json.resilienceStore, warning: undefined, namespace: undefined, stateSaved: undefined }, { backend: 'redis', onUnreachable: 'fallback', fellBack: true, warning: undefined, namespace: undefined, stateSaved: undefined });
			assert.match(i.json.resilienceStore.warning, /unreachable.*embedded state/);
		}
		assert.equal(run.hits, 3, 'only the fallback node sent requests');
		// The Circuit Breaker node: continue-on-fail puts each item on Rejected with the error; fallback allows and says so.
		assert.equal(outItems(run.r, 'CheckFail', 0).length, 0);
		const rejected = outItems(run.r, 'CheckFail', 1);
		assert.equal(rejected.length, 3);
		for (const i of rejected) {
			assert.equal(typeof i.pairedItem?.item, 'number');
			assert.match(String(i.json.error), /is unreachable/);
			assert.equal(i.json.circuitBreaker.store.onUnreachable, 'fail');
		}
		const allowed = outItems(run.r, 'CheckFallback', 0);
		assertPaired(allowed, 3);
		for (const i of allowed) assert.equal(i.json.circuitBreaker.store.fellBack, true);
	});

	it('the Circuit Breaker node around n8n\'s HTTP Request node (the example): trips, rejects, probes, recovers', async () => {
		const wf = JSON.parse(readFileSync(join(repoDir, 'examples', 'breaker-around-any-node.json'), 'utf8').replaceAll('https://api.example.com', base));
		// The example keeps the default policy: open 30 s, so run 2 (a few seconds later) still finds it open.
		for (const n of wf.nodes) if (n.type.endsWith('.circuitBreaker')) n.type = breakerType;
		const id = await host.importWorkflow(wf);
		const count = (r: ExecResult, node: string, out: number) => outItems(r, node, out).length;

		const first = await exec(id, true);
		assert.equal(first.hits, 20, 'closed: every lead is allowed, the CRM is down');
		assert.equal(count(first.r, 'Check Breaker', 0), 20);
		const recorded = outItems(first.r, 'Record Result', 0);
		assertPaired(recorded, 20);
		assert.ok(recorded.every((i) => i.json.circuitBreaker.recorded === 'failure'));
		assert.match(recorded.map((i) => i.json.circuitBreaker.transition).find(Boolean) ?? '', /closed → open: failure rate 100% over 10 calls/);
		assert.equal(recorded[19].json.circuitBreaker.state, 'open');

		const second = await exec(id, true);
		const rejected = outItems(second.r, 'Check Breaker', 1);
		console.log(`example run 2 (open): ${second.hits} requests, ${rejected.length} rejected`);
		assert.equal(second.hits, 0);
		assertPaired(rejected, 20);
		assert.equal(count(second.r, 'Try Later', 0), 20);
		assert.ok(rejected.every((i) => i.json.circuitBreaker.state === 'open' && i.json.circuitBreaker.allowed === false && i.json.circuitBreaker.retryAt));

		await waitPast(rejected);
		const third = await exec(id, false);
		console.log(`example run 3 (half-open, CRM back): ${third.hits} request(s), ${count(third.r, 'Check Breaker', 1)} rejected`);
		assert.equal(third.hits, 1, 'half-open lets exactly one probe through');
		assert.equal(count(third.r, 'Check Breaker', 0), 1);
		assert.equal(outItems(third.r, 'Check Breaker', 0)[0].json.circuitBreaker.probe, true);
		assert.equal(outItems(third.r, 'Record Result', 0)[0].json.circuitBreaker.state, 'closed');

		const fourth = await exec(id, false);
		assert.equal(fourth.hits, 20, 'closed again: every lead goes through');
		assert.ok(outItems(fourth.r, 'Record Result', 0).every((i) => i.json.circuitBreaker.recorded === 'success'));
	});
	it('the Resilience Redis credential\'s Test button (n8n\'s REST endpoint the UI calls) says OK or why not', async () => {
		const { baseUrl } = await host.startServer();
		try {
			const headers: Record<string, string> = { 'content-type': 'application/json', 'browser-id': 'e2e-breaker' };
			const call = async (path: string, body: unknown) => {
				const r = await fetch(`${baseUrl}/rest/${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
				headers.cookie ??= (r.headers.get('set-cookie') ?? '').split(';')[0];
				return { status: r.status, body: (await r.json()) as { data: Record<string, string> } };
			};
			const owner = await call('owner/setup', { email: 'owner@example.com', firstName: 'E', lastName: 'Two', password: 'Breaker-e2e-1' });
			assert.equal(owner.status, 200);
			const tryPort = async (port: number) => {
				const cred = { name: `Redis ${port}`, type: 'resilienceRedisApi', data: { host: '127.0.0.1', port, database: 0, user: '', password: '', tls: false, keyPrefix: prefix } };
				const created = await call('credentials', cred);
				return (await call('credentials/test', { credentials: { ...cred, id: created.body.data.id } })).body.data;
			};
			assert.deepEqual(await tryPort(6379), { status: 'OK', message: 'Connected to Redis at 127.0.0.1:6379' });
			const bad = await tryPort(closedPort);
			assert.equal(bad.status, 'Error');
			assert.match(bad.message, new RegExp(`Could not reach Redis at 127\\.0\\.0\\.1:${closedPort}: ECONNREFUSED`));
		} finally {
			await host.stop();
		}
	});
});
