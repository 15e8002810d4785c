// Three Node processes, one Redis: the breaker they share trips for all and lets exactly N probes through.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Redis from 'ioredis';
import { deleteKeys } from '../contract/redis-helpers';

const PREFIX = `rt-multi-${randomUUID().slice(0, 8)}`;
const POLICY = { failureRateThreshold: 0.5, minimumCalls: 6, windowSize: 20, resetTimeoutMs: 1500, halfOpenMaxProbes: 2, probeLeaseMs: 2000 };

class Worker {
	private next = 1;
	private waiting = new Map<number, (m: { result?: unknown; error?: string }) => void>();
	readonly ready: Promise<number>;
	constructor(readonly child: ChildProcess) {
		this.ready = new Promise((resolve, reject) => {
			child.once('error', reject);
			child.on('message', (m: { ready?: boolean; pid: number; id?: number }) => {
				if (m.ready) resolve(m.pid);
				else this.waiting.get(m.id!)?.(m as never);
			});
			child.once('exit', (code, signal) => {
				reject(new Error(`worker exited (${code ?? signal})`));
				for (const r of this.waiting.values()) r({ error: `worker exited (${code ?? signal})` });
			});
		});
	}
	async call<T>(msg: Record<string, unknown>): Promise<T> {
		const id = this.next++;
		const reply = await new Promise<{ result?: unknown; error?: string }>((r) => {
			this.waiting.set(id, r);
			this.child.send({ ...msg, id });
		});
		if (reply.error) throw new Error(reply.error);
		return reply.result as T;
	}
}

type AcquireReport = { granted: string[]; allowed: number; rejectedStates: string[]; retryAt?: number };
type View = { state: string; openUntil?: number; now: number };

describe('circuit breaker shared by three processes through Redis', { timeout: 60_000 }, () => {
	const redis = new Redis({ host: '127.0.0.1', port: 6379 });
	let workers: Worker[] = [];
	const acquireAll = (n: number, ws = workers) => Promise.all(ws.map((w) => w.call<AcquireReport>({ op: 'acquire', n })));
	const states = (ws = workers) => Promise.all(ws.map((w) => w.call<View>({ op: 'state' })));
	const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
	async function untilHalfOpen(): Promise<void> {
		const [v] = await states();
		if (v.state === 'open') await sleep(v.openUntil! - v.now + 50);
	}
	async function trip(): Promise<void> {
		await workers[0].call({ op: 'record', kind: 'failure', n: 2 });
		await workers[1].call({ op: 'record', kind: 'failure', n: 2 });
		await workers[2].call({ op: 'record', kind: 'failure', n: 1 });
		assert.deepEqual((await acquireAll(1)).map((r) => r.allowed), [1, 1, 1], 'below the threshold all three still pass');
		await workers[2].call({ op: 'record', kind: 'failure', n: 1 });
	}

	before(async () => {
		const env = { ...process.env, BREAKER_PREFIX: PREFIX, BREAKER_KEY: 'POST api.crm.test/contacts', BREAKER_POLICY: JSON.stringify(POLICY) };
		workers = [0, 1, 2].map(() => new Worker(fork(join(__dirname, 'breaker-worker.ts'), [], { execArgv: ['--import', 'tsx'], env })));
		const pids = await Promise.all(workers.map((w) => w.ready));
		assert.equal(new Set([...pids, process.pid]).size, 4, 'three distinct worker processes');
	});
	after(async () => {
		for (const w of workers) if (w.child.connected) w.child.disconnect();
		await deleteKeys(redis, `${PREFIX}:*`);
		await redis.quit();
	});

	it('after the threshold every process sees the breaker open', async () => {
		await trip();
		const reports = await acquireAll(5);
		assert.deepEqual(reports.map((r) => [r.allowed, r.rejectedStates]), [[0, ['open']], [0, ['open']], [0, ['open']]]);
		assert.equal(new Set(reports.map((r) => r.retryAt)).size, 1, 'all see the same half-open time');
	});

	it('in half-open exactly N probes are granted across all processes; their successes close it for all', async () => {
		await untilHalfOpen();
		const reports = await acquireAll(30);
		const granted = reports.flatMap((r) => r.granted);
		console.log(`# probes granted across 3 processes x 30 acquires: ${granted.length} (N=${POLICY.halfOpenMaxProbes})`);
		assert.equal(granted.length, POLICY.halfOpenMaxProbes);
		assert.equal(new Set(granted).size, granted.length);
		for (const [i, r] of reports.entries()) {
			for (const leaseId of r.granted) await workers[i].call({ op: 'record', kind: 'success', n: 1, leaseId });
		}
		assert.deepEqual((await states()).map((v) => v.state), ['closed', 'closed', 'closed']);
		assert.deepEqual((await acquireAll(3)).map((r) => r.allowed), [3, 3, 3]);
	});

	it('round after round, each half-open period grants exactly N probes in total', async () => {
		const counts: number[] = [];
		for (let round = 0; round < 3; round++) {
			await trip();
			await untilHalfOpen();
			const reports = await acquireAll(40);
			counts.push(reports.flatMap((r) => r.granted).length);
			for (const [i, r] of reports.entries()) {
				for (const leaseId of r.granted) await workers[i].call({ op: 'record', kind: 'success', n: 1, leaseId });
			}
		}
		console.log(`# probes granted per round (3 processes x 40 acquires): ${counts.join(', ')}`);
		assert.deepEqual(counts, [2, 2, 2]);
	});

	it("a crashed probe's lease expires, and only then does another process get its slot", async () => {
		await trip();
		await untilHalfOpen();
		const [first] = await acquireAll(1, [workers[0]]);
		assert.equal(first.granted.length, 1);
		workers[0].child.kill('SIGKILL');
		const survivors = workers.slice(1);
		workers = survivors;
		const reports = await acquireAll(30, survivors);
		const during = reports.flatMap((r) => r.granted);
		assert.equal(during.length, 1, 'the dead probe still holds one of the two slots');
		const holder = reports.findIndex((r) => r.granted.length === 1);
		await survivors[holder].call({ op: 'record', kind: 'success', n: 1, leaseId: during[0] });
		assert.equal((await states(survivors))[0].state, 'half-open', 'one success of two probes');
		await sleep(POLICY.probeLeaseMs + 100);
		const afterExpiry = await acquireAll(30, survivors);
		const freed = afterExpiry.flatMap((r) => r.granted);
		console.log(`# probes granted: ${first.granted.length} (crashed) + ${during.length} + ${freed.length} after lease expiry`);
		assert.equal(freed.length, 1, 'exactly the crashed slot is handed out again');
	});

	it('a failed probe re-opens the breaker for every process', async () => {
		const [owner] = (await acquireAll(1)).map((r, i) => ({ i, r })).filter((x) => x.r.granted.length === 0);
		assert.ok(owner, 'both slots are taken, no further probe');
		const live = await Promise.all(workers.map((w) => w.call<View>({ op: 'state' })));
		assert.deepEqual(live.map((v) => v.state), ['half-open', 'half-open']);
		// any worker reporting a failure without a lease id answers for the oldest probe
		await workers[1].call({ op: 'record', kind: 'failure', n: 1 });
		const reports = await acquireAll(5);
		assert.deepEqual(reports.map((r) => [r.allowed, r.rejectedStates]), [[0, ['open']], [0, ['open']]]);
	});
});
