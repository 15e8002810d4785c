// Real n8n, issue 6's proof: three `n8n execute` processes at once share one Redis rate limiter against a loopback
// HubSpot that allows 100 requests per rolling 10 s (≤ 1 % 429s, ≥ 90 % of the allowed rate); a daily quota near its
// end and a HubSpot DAILY 429 defer items to the account's midnight without a request (and never trip the breaker);
// Split Batch Results routes a batch of 100 with 97 successes, 2 rate-limited and 1 invalid record by record.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import { nextMidnightIn } from '../../src/classify';
import { buildWorkflow, declaredNodeTypes, describeRun, startHost, type Host } from './harness/host';
import { assertPaired, itemsNode, outItems, type Item } from './oauth-mock/helpers';
import { LIMIT, WINDOW_MS, rollingHubSpot } from '../integration/hubspot-rolling-mock';

const ZONE = 'America/New_York';


const listen = async (s: Server) => {
	await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
	return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
};
const readBody = (req: IncomingMessage) => new Promise<string>((r) => {
	let b = '';
	req.on('data', (c) => (b += c)).on('end', () => r(b));
});

describe('rate limits and quotas in real n8n', { timeout: 20 * 60_000 }, () => {
	let host: Host;
	let http = '';
	let redisCred = '';
	const prefix = `e2e-rl-${randomUUID().slice(0, 8)}`;
	const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
	const hits: Record<string, number> = {};
	let quotaBase = '';
	const quota = createServer(async (req, res) => {
		const body = await readBody(req);
		const route = req.url!.split('/')[1];
		hits[route] = (hits[route] ?? 0) + 1;
		res.setHeader('content-type', 'application/json');
		if (route === 'daily') {
			// 4,000 of 250,000 left: under HubSpot's 2 % reserve (5,000), so only critical calls may go on.
			res.setHeader('x-hubspot-ratelimit-daily', '250000');
			res.setHeader('x-hubspot-ratelimit-daily-remaining', '4000');
			return res.end(JSON.stringify({ id: req.url }));
		}
		if (route === 'plain') return res.end(JSON.stringify({ ok: true }));
		if (route === 'dailyhit') {
			res.statusCode = 429;
			return res.end(JSON.stringify({ status: 'error', message: 'You have reached your daily limit.', errorType: 'RATE_LIMIT', correlationId: randomUUID(), policyName: 'DAILY' }));
		}
		const { inputs } = JSON.parse(body) as { inputs: Array<{ objectWriteTraceId: string; properties: { email: string } }> };
		const results: unknown[] = [];
		const errors: unknown[] = [];
		inputs.forEach((input, i) => {
			const context = { objectWriteTraceId: [input.objectWriteTraceId] };
			if (i === 17 || i === 58) errors.push({ status: 'error', category: 'RATE_LIMITS', message: 'You have reached your ten_secondly_rolling limit.', context });
			else if (i === 71) errors.push({ status: 'error', category: 'VALIDATION_ERROR', message: `Property values were not valid: ${input.properties.email} is not a valid email address`, context });
			else results.push({ id: String(5000 + i), properties: input.properties });
		});
		res.statusCode = 207;
		res.end(JSON.stringify({ status: 'COMPLETE', results, numErrors: errors.length, errors }));
	});

	before(async () => {
		quotaBase = await listen(quota);
		host = await startHost();
		http = declaredNodeTypes().find((d) => d.type.endsWith('.resilientHttp'))!.type;
		[redisCred] = await host.importCredentials([{ name: 'Redis', type: 'resilienceRedisApi', data: { host: '127.0.0.1', port: 6379, database: 0, keyPrefix: prefix } }]);
		await redis.connect();
	});
	after(async () => {
		await host?.cleanup();
		quota.close();
		const keys = await redis.keys(`${prefix}:*`).catch(() => [] as string[]);
		if (keys.length) await redis.del(...keys);
		redis.disconnect();
	});

	const node = (parameters: Record<string, unknown>, onRedis = true) => ({
		name: 'HTTP',
		type: http,
		parameters: { preset: 'hubspot', method: 'GET', ...(onRedis ? { stateBackend: 'redis' } : {}), ...parameters },
		credentials: onRedis ? { resilienceRedisApi: { id: redisCred, name: 'Redis' } } : undefined,
	});
	async function run(id: string) {
		const r = await host.execute(id);
		assert.ok(r.ok, describeRun(r));
		return { success: outItems(r, 'HTTP', 0), failed: outItems(r, 'HTTP', 1) };
	}
	const rl = (i: Item) => i.json.resilience.rateLimit as Record<string, any>;

	it('control: without the limiter, 150 requests at once get far more than 1 % 429s from the mock', async () => {
		const mock = rollingHubSpot();
		const base = await listen(mock.server);
		try {
			const id = await host.importWorkflow(buildWorkflow('rl: control', [itemsNode('Items', 150), node({ url: `=${base}/crm/v3/objects/contacts/{{ $json.row }}`, rateLimit: 'off', options: { maxAttempts: 1, concurrency: 10 } }, false)]));
			const r = await run(id);
			const share = mock.log.limited / mock.log.total;
			console.log(`control (limiter off): ${mock.log.total} requests, ${mock.log.limited} got 429 (${(share * 100).toFixed(1)} %)`);
			assert.ok(share > 0.2, `the mock enforces its window: ${(share * 100).toFixed(1)} %`);
			assert.equal(r.success.length + r.failed.length, 150);
		} finally {
			mock.server.closeAllConnections();
			mock.server.close();
		}
	});

	it('three executions at once share one Redis limiter: ≤ 1 % 429s and ≥ 90 % of the allowed 10/s', async () => {
		const mock = rollingHubSpot();
		const base = await listen(mock.server);
		const ITEMS = 100;
		try {
			const id = await host.importWorkflow(buildWorkflow('rl: shared', [itemsNode('Items', ITEMS), node({ url: `=${base}/crm/v3/objects/contacts/{{ $json.row }}`, options: { concurrency: 10 } })]));
			const runs = await Promise.all([run(id), run(id), run(id)]);
			const { log } = mock;
			const seconds = (log.last - log.first) / 1000;
			const throughput = log.ok / seconds;
			const ratio = throughput / (LIMIT / (WINDOW_MS / 1000));
			const share = log.limited / log.total;
			const outcomes = runs.flatMap((x) => x.failed).reduce<Record<string, number>>((m, i) => ({ ...m, [i.json.resilience.outcome]: (m[i.json.resilience.outcome] ?? 0) + 1 }), {});
			console.log(`3 n8n executions x ${ITEMS} items, ${seconds.toFixed(1)} s: ${log.total} requests, ${log.ok} accepted, ${log.limited} got 429 (${(share * 100).toFixed(2)} %)`);
			console.log(`throughput ${throughput.toFixed(2)}/s of 10/s allowed = ${(ratio * 100).toFixed(1)} %; success ${runs.map((x) => x.success.length).join(' + ')}; failed ${JSON.stringify(outcomes)}`);
			assert.ok(share <= 0.01, `429 share ${(share * 100).toFixed(2)} % > 1 %`);
			assert.ok(ratio >= 0.9, `throughput ${(ratio * 100).toFixed(1)} % of the allowed rate < 90 %`);
			for (const x of runs) assertPaired([...x.success, ...x.failed], ITEMS);
			assert.equal(runs.reduce((n, x) => n + x.success.length, 0), log.ok, 'every accepted request is one Success item');
			const keys = await redis.keys(`${prefix}:*limiter*`);
			assert.ok(keys.length >= 1, 'the bucket lives in Redis');
		} finally {
			mock.server.closeAllConnections();
			mock.server.close();
		}
	});

	it('a daily quota near its end: non-critical items defer to the account midnight without a request, across executions; critical ones go out', async () => {
		// Two workflows under one global name share the credential's buckets (and so its daily guard).
		const wf = (critical: boolean) =>
			buildWorkflow(`rl: daily ${critical}`, [
				itemsNode('Items', 10),
				node({ url: `=${quotaBase}/daily/{{ $json.row }}`, accountTimeZone: ZONE, stateScope: 'global', stateNamespace: 'rl-daily', rateLimitOptions: critical ? { critical: true } : {}, options: { concurrency: 1 } }),
			]);
		const wfId = await host.importWorkflow(wf(false));
		const first = await run(wfId);
		assert.equal(hits.daily, 1, 'the first answer said the quota is nearly used up; nothing else was sent');
		assert.equal(first.success.length, 1);
		assertPaired(first.failed, 9);
		const midnight = nextMidnightIn(ZONE, Date.now());
		for (const i of first.failed) {
			assert.deepEqual([i.json.resilience.outcome, i.json.resilience.rule, i.json.resilience.attempts.length], ['deferred', 'ratelimit.daily-quota', 0]);
			assert.equal(rl(i).reason, 'daily-quota');
			assert.match(rl(i).detail, /daily quota nearly used up: 4000 of 250000 left, the last 5000 are kept for critical traffic/);
			assert.ok(Math.abs(Date.parse(i.json.resilience.retryAt) - midnight) < 5000, `retryAt ${i.json.resilience.retryAt} is midnight in ${ZONE}`);
			assert.equal(rl(i).store.backend, 'redis');
		}
		const second = await run(wfId);
		assert.equal(hits.daily, 1, 'a new process reads the guard from Redis: still no request');
		assert.equal(second.failed.length, 10);
		const critical = await run(await host.importWorkflow(wf(true)));
		assert.equal(critical.success.length, 10, 'critical traffic uses the reserve');
		assert.equal(hits.daily, 11);
	});

	it('a HubSpot DAILY 429 defers its item and pauses the credential; the breaker stays closed; the next run sends nothing', async () => {
		const id = await host.importWorkflow(buildWorkflow('rl: daily 429', [itemsNode('Items', 5), node({ url: `=${quotaBase}/dailyhit/{{ $json.row }}`, accountTimeZone: ZONE, circuitBreaker: true, options: { concurrency: 1 } })]));
		const first = await run(id);
		assert.equal(hits.dailyhit, 1);
		assertPaired(first.failed, 5);
		const midnight = nextMidnightIn(ZONE, Date.now());
		const [hit, ...held] = [...first.failed].sort((a, b) => a.pairedItem!.item - b.pairedItem!.item);
		assert.deepEqual([hit.json.resilience.outcome, hit.json.resilience.rule, hit.json.resilience.class], ['deferred', 'hubspot.daily', 'quota-wait']);
		for (const i of [hit, ...held]) assert.ok(Math.abs(Date.parse(i.json.resilience.retryAt) - midnight) < 5000, i.json.resilience.retryAt);
		for (const i of held) assert.deepEqual([rl(i).reason, i.json.resilience.attempts.length], ['paused', 0]);
		assert.equal(hit.json.resilience.breaker.state, 'closed', 'a quota is not an outage');
		const second = await run(id);
		assert.equal(hits.dailyhit, 1, 'the pause lives in Redis until the account midnight');
		assert.ok(second.failed.every((i) => rl(i).reason === 'paused'));
	});

	it('Redis unreachable, limiter alone: "fail" fails the items naming the store and sends nothing; "fallback" paces on embedded state and says so', async () => {
		const probe = createServer();
		const closedPort = Number(new URL(await listen(probe)).port);
		await new Promise((r) => probe.close(r));
		const [dead] = await host.importCredentials([{ name: 'Dead Redis', type: 'resilienceRedisApi', data: { host: '127.0.0.1', port: closedPort, database: 0, keyPrefix: prefix } }]);
		const cred = { resilienceRedisApi: { id: dead, name: 'Dead Redis' } };
		const http2 = (name: string, extra: Record<string, unknown>) => ({ name, type: http, parameters: { preset: 'generic', url: `=${quotaBase}/plain/{{ $json.row }}`, stateBackend: 'redis', ...extra }, credentials: cred });
		const id = await host.importWorkflow(
			buildWorkflow('rl: redis down', [itemsNode('Items', 3), http2('Fail', {}), http2('Fallback', { onStoreUnreachable: 'fallback' })], [['Start', 'Items'], ['Items', 'Fail'], ['Items', 'Fallback']]),
		);
		const r = await host.execute(id);
		assert.ok(r.ok, describeRun(r));
		const failed = outItems(r, 'Fail', 1);
		assertPaired(failed, 3);
		for (const i of failed) {
			assert.equal(i.json.resilience.rule, 'ratelimit.store-unreachable');
			assert.deepEqual([i.json.resilience.outcome, i.json.resilience.class], ['deferred', 'transient']);
			assert.ok(Date.parse(i.json.resilience.retryAt) > Date.now(), `retryAt ahead: ${i.json.resilience.retryAt}`);
			assert.match(i.json.resilience.reason, new RegExp(`Rate-limit state in Redis \\(127\\.0\\.0\\.1:${closedPort}\\) is unreachable.*Fall Back to Embedded`));
			assert.equal(i.json.resilience.attempts.length, 0);
		}
		const ok = outItems(r, 'Fallback', 0);
		assertPaired(ok, 3);
		for (const i of ok) {
			assert.deepEqual([i.json.resilienceStore.fellBack, i.json.resilienceStore.onUnreachable], [true, 'fallback']);
			assert.match(i.json.resilienceStore.warning, /unreachable.*embedded state/);
		}
		assert.equal(hits.plain, 3, 'only the fallback node sent requests');
	});

	it('Split Batch Results: a batch of 100 with 97 successes, 2 rate-limited and 1 invalid routes each record on its own', async () => {
		const jsonBody = "={{ JSON.stringify({ inputs: Array.from({ length: 100 }, (_, i) => ({ objectWriteTraceId: 't' + i, properties: { email: i === 71 ? 'not-an-email' : 'lead' + i + '@example.com' } })) }) }}";
		const id = await host.importWorkflow(buildWorkflow('rl: batch', [itemsNode('Items', 1), node({ method: 'POST', url: `${quotaBase}/crm/v3/objects/contacts/batch/create`, sendBody: true, bodyType: 'json', jsonBody, options: { splitBatchResults: true } }, false)]));
		const r = await run(id);
		assert.equal(hits.crm, 1, 'one request; the partial batch is not resent');
		assertPaired(r.success, 97);
		assertPaired(r.failed, 3);
		const failed = Object.fromEntries(r.failed.map((i) => [i.json.resilience.record.id, i.json.resilience]));
		for (const t of ['t17', 't58']) assert.deepEqual([failed[t].outcome, failed[t].rule, typeof failed[t].retryAt], ['deferred', 'record.rate-limited', 'string']);
		assert.deepEqual([failed.t71.outcome, failed.t71.class, failed.t71.record.sent.properties.email], ['failed-permanent', 'permanent', 'not-an-email']);
		console.log(`batch: ${r.success.length} Success items, Failed ${r.failed.map((i) => `${i.json.resilience.record.id}=${i.json.resilience.outcome}`).join(', ')}`);
	});
});
