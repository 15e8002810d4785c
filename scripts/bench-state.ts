// What the shared state costs per call and per key: circuit breakers (acquire + record) and the idempotency ledger
// (claim + complete), embedded store vs Redis (one Lua script per intent), side by side with ratios, then the memory
// 10,000 breakers that have seen traffic take in each. A measurement, not a test:
// `npm run bench:state [-- calls]`. Needs Redis on 127.0.0.1:6379 (REDIS_URL overrides); it deletes only its own keys.
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { DEFAULT_BREAKER_POLICY, type BreakerPolicy } from '../src/breaker';
import { EmbeddedIdempotencyLedger, RedisIdempotencyLedger, type IdempotencyLedger } from '../src/idempotency';
import { createEmbeddedCache, EmbeddedBreakerStore, RedisBreakerStore, type BreakerStore } from '../src/store';

const CALLS = Number(process.argv[2] ?? 10_000);
const IN_FLIGHT = 50;
const BREAKERS = 10_000;
const POLICY: BreakerPolicy = { ...DEFAULT_BREAKER_POLICY };

async function rate(calls: number, one: (n: number) => Promise<unknown>): Promise<number> {
	let next = 0;
	const t0 = process.hrtime.bigint();
	await Promise.all(
		Array.from({ length: IN_FLIGHT }, async () => {
			while (next < calls) await one(next++);
		}),
	);
	return calls / (Number(process.hrtime.bigint() - t0) / 1e9);
}

/** One guarded call through a breaker: acquire, then record a success (every 10th a failure, under the trip rate). */
const breakerCall = (store: BreakerStore, keys: number) => async (n: number) => {
	const key = `GET bench.example.com/r${n % keys}`;
	const a = await store.acquire(key, POLICY);
	await store.record(key, { kind: n % 10 === 0 ? 'failure' : 'success', durationMs: 40, leaseId: a.allowed ? a.leaseId : undefined }, POLICY);
};

/** One side effect through the ledger: claim a fresh key, then complete it with a small stored result. */
const ledgerCall = (ledger: IdempotencyLedger, run: string) => async (n: number) => {
	const owner = `o${n}`;
	await ledger.claim(`${run}:${n}`, { owner, leaseMs: 60_000 });
	await ledger.complete(`${run}:${n}`, owner, { id: n, status: 'created' });
};

function heapMb(): number {
	global.gc?.();
	return process.memoryUsage().heapUsed / 1048576;
}

async function redisUsedMb(client: Redis): Promise<number> {
	const info = await client.info('memory');
	return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0) / 1048576;
}

async function main() {
	const prefix = `bench-${randomUUID().slice(0, 8)}`;
	const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
	const cases: Array<[string, () => Promise<[number, number]>]> = [];
	const side = async (make: (kind: 'embedded' | 'redis') => (n: number) => Promise<unknown>): Promise<[number, number]> => [
		await rate(CALLS, make('embedded')),
		await rate(CALLS, make('redis')),
	];
	const embeddedBreakers = new EmbeddedBreakerStore({ cache: createEmbeddedCache(50_000), namespace: 'bench' });
	const redisBreakers = new RedisBreakerStore(client, { prefix, namespace: 'bench' });
	const breakers = (kind: 'embedded' | 'redis') => (kind === 'embedded' ? embeddedBreakers : redisBreakers);
	const embeddedLedger = new EmbeddedIdempotencyLedger({ cache: createEmbeddedCache(4 * CALLS), namespace: 'bench' });
	const redisLedger = new RedisIdempotencyLedger(client, { prefix, namespace: 'bench' });
	let run = 0;
	cases.push(['breaker acquire + record, 1 endpoint', async () => await side((k) => breakerCall(breakers(k), 1))]);
	cases.push(['breaker acquire + record, 1,000 endpoints', async () => await side((k) => breakerCall(breakers(k), 1000))]);
	cases.push(['ledger claim + complete, new keys', async () => await side((k) => ledgerCall(k === 'embedded' ? embeddedLedger : redisLedger, `run${run++}`))]);
	try {
		await rate(200, breakerCall(redisBreakers, 1)); // loads the scripts and warms the connection
		await rate(2000, breakerCall(embeddedBreakers, 1)); // and lets the JIT compile the embedded path
		console.log(`${CALLS} calls per case, ${IN_FLIGHT} in flight (Node ${process.version}, Redis ${client.options.host}:${client.options.port})\n`);
		console.log('| case | embedded calls/s | Redis calls/s | embedded ÷ Redis |');
		console.log('|---|---|---|---|');
		for (const [name, measure] of cases) {
			const [e, r] = await measure();
			console.log(`| ${name} | ${Math.round(e).toLocaleString('en')} | ${Math.round(r).toLocaleString('en')} | ${(e / r).toFixed(1)}× |`);
		}

		// Memory: 10,000 breakers that each recorded 5 calls (closed breakers that never failed store nothing at all).
		const fresh = new EmbeddedBreakerStore({ cache: createEmbeddedCache(50_000), namespace: 'mem' });
		const freshRedis = new RedisBreakerStore(client, { prefix, namespace: 'mem' });
		const heap0 = heapMb();
		const redis0 = await redisUsedMb(client);
		for (let i = 0; i < BREAKERS * 5; i += IN_FLIGHT) {
			await Promise.all(Array.from({ length: IN_FLIGHT }, async (_, j) => await breakerCall(fresh, BREAKERS)(i + j)));
			await Promise.all(Array.from({ length: IN_FLIGHT }, async (_, j) => await breakerCall(freshRedis, BREAKERS)(i + j)));
		}
		const heap = heapMb() - heap0;
		const redis = (await redisUsedMb(client)) - redis0;
		const stored = (await client.keys(`${prefix}:*mem*`)).length;
		console.log(`\n${BREAKERS.toLocaleString('en')} breakers × 5 calls each (1 failure in 10):`);
		console.log(`| store | memory | per breaker |`);
		console.log('|---|---|---|');
		console.log(`| embedded (heap${global.gc ? '' : ', no --expose-gc: rough'}) | ${heap.toFixed(1)} MB | ${((heap * 1048576) / BREAKERS).toFixed(0)} B |`);
		console.log(`| Redis (used_memory, ${stored.toLocaleString('en')} keys) | ${redis.toFixed(1)} MB | ${((redis * 1048576) / BREAKERS).toFixed(0)} B |`);
	} finally {
		let cursor = '0';
		do {
			const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
			cursor = next;
			if (keys.length) await client.del(...keys);
		} while (cursor !== '0');
		client.disconnect();
	}
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
