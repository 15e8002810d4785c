// Acquire (and adapt) throughput of the rate limiter: embedded store vs Redis (one Lua script per call), one call in
// flight and many, side by side with ratios. A measurement, not a test: `npx tsx scripts/bench-limiter.ts [calls]`.
// Needs Redis on 127.0.0.1:6379 (REDIS_URL overrides); it deletes only its own keys.
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { EmbeddedLimiterStore, RedisLimiterStore, type LimiterStore } from '../src/ratelimit';
import { createEmbeddedCache } from '../src/store';

const CALLS = Number(process.argv[2] ?? 20_000);
// A cap high enough never to refuse, so every call does the full token arithmetic and writes the bucket back.
const SPEC = { ratePerSec: 1e7, burst: 1e7 };
const OBS = { windows: [{ name: 'interval', unit: 'requests' as const, remaining: 1e6, limit: 1e6, windowMs: 10_000 }], sources: ['bench'] };

async function measure(store: LimiterStore, op: 'acquire' | 'adapt', inFlight: number, keys: number): Promise<number> {
	let next = 0;
	const call = (n: number) => (op === 'acquire' ? store.acquire(`bench:${n % keys}`, SPEC) : store.adapt(`bench:${n % keys}`, SPEC, OBS));
	const t0 = process.hrtime.bigint();
	await Promise.all(
		Array.from({ length: inFlight }, async () => {
			while (next < CALLS) await call(next++);
		}),
	);
	return CALLS / (Number(process.hrtime.bigint() - t0) / 1e9);
}

async function main() {
	const prefix = `bench-${randomUUID().slice(0, 8)}`;
	const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
	const embedded = new EmbeddedLimiterStore({ cache: createEmbeddedCache(10_000), namespace: 'bench' });
	const redis = new RedisLimiterStore(client, { prefix, namespace: 'bench' });
	const cases: Array<[string, 'acquire' | 'adapt', number, number]> = [
		['acquire, 1 in flight, 1 bucket', 'acquire', 1, 1],
		['acquire, 50 in flight, 1 bucket', 'acquire', 50, 1],
		['acquire, 50 in flight, 100 buckets', 'acquire', 50, 100],
		['adapt, 50 in flight, 100 buckets', 'adapt', 50, 100],
	];
	try {
		await measure(redis, 'acquire', 10, 1); // loads the scripts and warms the connection
		console.log(`${CALLS} calls per case (Node ${process.version}, ${client.options.host}:${client.options.port})\n`);
		console.log('| case | embedded calls/s | Redis calls/s | embedded ÷ Redis |');
		console.log('|---|---|---|---|');
		for (const [name, op, inFlight, keys] of cases) {
			const e = await measure(embedded, op, inFlight, keys);
			const r = await measure(redis, op, inFlight, keys);
			console.log(`| ${name} | ${Math.round(e).toLocaleString('en')} | ${Math.round(r).toLocaleString('en')} | ${(e / r).toFixed(1)}× |`);
		}
	} finally {
		const keys = await client.keys(`${prefix}:*`);
		if (keys.length) await client.del(...keys);
		client.disconnect();
	}
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
