// Proof for issue 6: four Node processes share one Redis token bucket against a mock enforcing HubSpot's
// 100 requests per rolling 10 s; at most 1 % of requests may get a 429 and throughput must reach 90 % of 10/s.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Redis from 'ioredis';
import { deleteKeys } from '../contract/redis-helpers';
import { LIMIT, WINDOW_MS, rollingHubSpot } from './hubspot-rolling-mock';

const WORKERS = 4;
const CONCURRENCY = 6;
const DURATION_MS = Number(process.env.RL_PROOF_MS ?? 25_000);
const PREFIX = `rt-rlproof-${randomUUID().slice(0, 8)}`;

type Stats = { items: number; success: number; deferred: number; other: number; attempts: number; retries: number; maxGateWaitMs: number };

describe('HubSpot rate limit shared by four processes through Redis', { timeout: DURATION_MS + 90_000 }, () => {
	const redis = new Redis({ host: '127.0.0.1', port: 6379 });
	const mock = rollingHubSpot();
	let children: ChildProcess[] = [];
	let url = '';

	before(async () => {
		await new Promise<void>((r) => mock.server.listen(0, '127.0.0.1', r));
		url = `http://127.0.0.1:${(mock.server.address() as AddressInfo).port}`;
		const env = { ...process.env, RL_PREFIX: PREFIX, RL_MOCK_URL: url };
		children = Array.from({ length: WORKERS }, () => fork(join(__dirname, 'ratelimit-hubspot-worker.ts'), [], { execArgv: ['--import', 'tsx'], env }));
	});
	after(async () => {
		for (const c of children) if (c.connected) c.disconnect();
		await deleteKeys(redis, `${PREFIX}:*`);
		await redis.quit();
		mock.server.closeAllConnections();
		await new Promise((r) => mock.server.close(r));
	});

	it('the mock refuses the 101st request of a 10 s window with the TEN_SECONDLY_ROLLING body (control, no limiter)', async () => {
		const control = rollingHubSpot();
		await new Promise<void>((r) => control.server.listen(0, '127.0.0.1', r));
		const base = `http://127.0.0.1:${(control.server.address() as AddressInfo).port}`;
		try {
			const replies = await Promise.all(Array.from({ length: 120 }, (_, i) => fetch(`${base}/crm/v3/objects/contacts/${i}`)));
			const limited = replies.filter((r) => r.status === 429);
			assert.deepEqual([replies.length - limited.length, limited.length], [100, 20]);
			assert.match(await limited[0].text(), /"policyName":"TEN_SECONDLY_ROLLING"/);
			assert.equal(limited[0].headers.get('x-hubspot-ratelimit-remaining'), '0');
		} finally {
			control.server.closeAllConnections();
			await new Promise((r) => control.server.close(r));
		}
	});

	it('keeps 429s at or under 1 % and throughput at or over 90 % of the allowed rate', async () => {
		const pids = await Promise.all(children.map((c) => new Promise<number>((resolve, reject) => {
			c.once('error', reject);
			c.on('message', (m: { ready?: boolean; pid: number }) => m.ready && resolve(m.pid));
		})));
		assert.equal(new Set([...pids, process.pid]).size, WORKERS + 1, 'separate processes');
		const startAt = Date.now() + 500;
		const done = children.map((c) => new Promise<Stats>((resolve) => c.on('message', (m: { done?: boolean; stats: Stats }) => m.done && resolve(m.stats))));
		for (const c of children) c.send({ op: 'run', startAt, durationMs: DURATION_MS, concurrency: CONCURRENCY });
		const stats = await Promise.all(done);

		const { log } = mock;
		const seconds = (log.last - log.first) / 1000;
		const allowedPerSec = LIMIT / (WINDOW_MS / 1000);
		const throughput = log.ok / seconds;
		const ratio = throughput / allowedPerSec;
		const share429 = log.limited / log.total;
		const sum = (k: keyof Stats) => stats.reduce((a, s) => a + s[k], 0);
		console.log(`${WORKERS} processes x ${CONCURRENCY} loops, ${seconds.toFixed(1)} s: ${log.total} requests, ${log.ok} accepted, ${log.limited} got 429 (${(share429 * 100).toFixed(2)} %)`);
		console.log(`throughput ${throughput.toFixed(2)}/s of ${allowedPerSec}/s allowed = ${(ratio * 100).toFixed(1)} %; most accepted in any 10 s: ${log.maxInWindow}`);
		console.log(`items: ${sum('items')} (success ${sum('success')}, deferred ${sum('deferred')}, other ${sum('other')}), retries ${sum('retries')}, longest booked wait ${Math.max(...stats.map((s) => s.maxGateWaitMs))} ms`);
		console.log(`per process items: ${stats.map((s) => s.items).join(', ')}`);

		assert.ok(stats.every((s) => s.items > 0), 'every process got requests through');
		assert.ok(share429 <= 0.01, `429 share ${(share429 * 100).toFixed(2)} % > 1 %`);
		assert.ok(ratio >= 0.9, `throughput ${(ratio * 100).toFixed(1)} % < 90 %`);
		assert.equal(sum('other'), 0, 'no item failed');
		assert.equal(log.ok, sum('success'), 'every accepted request is one successful item');
	});
});
