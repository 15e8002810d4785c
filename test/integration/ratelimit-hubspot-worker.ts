// One worker process: CONCURRENCY loops send HubSpot-preset requests through the shared Redis limiter until the deadline.
import http from 'node:http';
import Redis from 'ioredis';
import { createAxiosSend, createClassifier, executeWithRetry, getPreset, realClock, realSleep, resolvePolicy } from '../../src';
import { RateLimiter, RedisLimiterStore } from '../../src/ratelimit';
import axios from 'axios';

const env = (k: string) => process.env[k]!;
const client = new Redis({ host: '127.0.0.1', port: 6379 });
const store = new RedisLimiterStore(client, { prefix: env('RL_PREFIX'), namespace: 'proof' });
const preset = getPreset('hubspot');
const policy = resolvePolicy(preset, { maxRetryWindowMs: 120_000 });
const classify = createClassifier({ preset, policy });
const limiter = new RateLimiter({ store, preset, credentialId: 'cred-proof', clock: realClock, retryBudget: false });
const http1 = axios.create({ httpAgent: new http.Agent({ keepAlive: true, maxSockets: 64 }) });

const stats = { items: 0, success: 0, deferred: 0, other: 0, attempts: 0, retries: 0, maxGateWaitMs: 0 };

async function loop(deadline: number, n: number): Promise<void> {
	for (let i = 0; realClock.now() < deadline; i++) {
		const request = { method: 'GET', url: `${env('RL_MOCK_URL')}/crm/v3/objects/contacts/${process.pid}${n}${i}` };
		const hooks = limiter.hooks(request, policy);
		const r = await executeWithRetry({
			request,
			policy,
			classify,
			send: createAxiosSend({ ...request, client: http1, timeoutMs: 10_000 }),
			clock: realClock,
			sleep: async (ms, signal) => {
				stats.maxGateWaitMs = Math.max(stats.maxGateWaitMs, ms);
				return realSleep(ms, signal);
			},
			random: Math.random,
			...hooks,
		});
		stats.items++;
		stats.attempts += r.attempts.length;
		stats.retries += Math.max(0, r.attempts.length - 1);
		if (r.outcome === 'success') stats.success++;
		else if (r.outcome === 'deferred') stats.deferred++;
		else stats.other++;
	}
}

process.on('message', async (m: { op: 'run'; startAt: number; durationMs: number; concurrency: number }) => {
	await new Promise((r) => setTimeout(r, Math.max(0, m.startAt - Date.now())));
	const deadline = m.startAt + m.durationMs;
	await Promise.all(Array.from({ length: m.concurrency }, (_, n) => loop(deadline, n)));
	process.send!({ done: true, pid: process.pid, stats });
});
process.on('disconnect', () => {
	client.disconnect();
	process.exit(0);
});
client.once('ready', () => process.send!({ ready: true, pid: process.pid }));
