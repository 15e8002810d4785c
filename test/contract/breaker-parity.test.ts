// Differential test: the Lua scripts and the TypeScript state machine, fed the same random operations,
// must give the same answers. Redis time is pinned near the fake clock (offset = fake − local time).
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { resolveBreakerPolicy, type BreakerPolicyInput } from '../../src/breaker';
import { createEmbeddedCache, EmbeddedBreakerStore, RedisBreakerStore, type BreakerStore } from '../../src/store';
import { deleteKeys } from './redis-helpers';

const client = new Redis({ host: '127.0.0.1', port: 6379 });
const prefix = `rt-parity-${randomUUID().slice(0, 8)}`;
after(async () => {
	await deleteKeys(client, `${prefix}:*`);
	await client.quit();
});

/** mulberry32: a seeded generator so a failing run can be replayed. */
function rng(seed: number): () => number {
	let a = seed;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

// Durations end in 500 ms while time moves in whole seconds: no boundary lies within 500 ms of a call, so the
// few ms between the fake clock and Redis TIME (more under load) cannot change an answer.
const POLICIES: Record<string, BreakerPolicyInput> = {
	consecutive: { consecutiveFailures: 3, resetTimeoutMs: 5500, probeLeaseMs: 3500 },
	rate: { failureRateThreshold: 0.5, minimumCalls: 4, windowSize: 8, rollingWindowMs: 6500, resetTimeoutMs: 3500, halfOpenMaxProbes: 2, probeLeaseMs: 3500, openBackoffFactor: 3, maxOpenMs: 40_500 },
	slow: { failureRateThreshold: 0.6, slowCallDurationMs: 1000, slowCallRateThreshold: 0.5, minimumCalls: 4, windowSize: 10, rollingWindowMs: 0, resetTimeoutMs: 4500, halfOpenMaxProbes: 3, probeLeaseMs: 2500, eventsCap: 5 },
};

function shape(x: Record<string, unknown> & { view?: Record<string, unknown> }, base: number) {
	const v = (x.view ?? x) as Record<string, number | string | boolean | undefined>;
	const t = x.transition as { from: string; to: string; reason: string } | undefined;
	const rel = (n: unknown) => (typeof n === 'number' ? Math.round((n - base) / 500) : n);
	return {
		allowed: x.allowed, probe: x.probe, leaseId: x.leaseId, counted: x.counted, retryAt: rel(x.retryAt),
		transition: t && `${t.from}>${t.to}: ${t.reason}`,
		state: v.state, calls: v.calls, failures: v.failures, slow: v.slowCalls, trips: v.trips, consecutive: v.consecutiveFailures,
		probes: v.probesInFlight, ok: v.probeSuccesses, forced: v.forced, openUntil: rel(v.openUntil),
	};
}

// PARITY_SEEDS=40 runs seeds 1..40 (the default three keep `npm test` quick).
const seeds = Array.from({ length: Number(process.env.PARITY_SEEDS ?? 3) }, (_, i) => i + 1);

describe('Lua and TypeScript breakers agree on random operation sequences', () => {
	for (const [name, input] of Object.entries(POLICIES)) {
		for (const seed of seeds) {
			it(`${name} policy, seed ${seed}`, async () => {
				const p = resolveBreakerPolicy(input);
				const base = 1_790_000_000_000 + seed * 10_000_000;
				let now = base;
				const clock = { now: () => now };
				const stores: BreakerStore[] = [
					new EmbeddedBreakerStore({ cache: createEmbeddedCache(10), clock }),
					new RedisBreakerStore(client, { prefix, namespace: `${name}-${seed}`, timeOffsetMs: () => now - Date.now() }),
				];
				const r = rng(seed * 7919 + name.length);
				const leases: string[] = [];
				const key = 'GET api.test/items/:id';
				for (let step = 0; step < 250; step++) {
					const x = r();
					let op: string;
					let run: (s: BreakerStore) => Promise<Record<string, unknown>>;
					if (x < 0.15) {
						now += 1000 * Math.ceil(r() * 4);
						continue;
					} else if (x < 0.4) {
						op = 'acquire';
						run = (s) => s.acquire(key, p) as never;
					} else if (x < 0.95) {
						const kind = r() < 0.5 ? 'failure' : r() < 0.85 ? 'success' : 'ignored';
						const lease = leases.length && r() < 0.7 ? leases.splice(Math.floor(r() * leases.length), 1)[0] : undefined;
						const durationMs = Math.floor(r() * 2000);
						const retryAfterMs = r() < 0.1 ? 7500 : undefined;
						op = `record ${kind} ${lease ?? '-'} ${durationMs}ms retry-after ${retryAfterMs ?? '-'}`;
						// both stores get the same arguments: every random draw happens before either runs
						run = (s) => s.record(key, { kind, leaseId: lease, durationMs, retryAfterMs }, p) as never;
					} else if (x < 0.97) {
						op = 'forceOpen 2500';
						run = (s) => s.forceOpen(key, p, 2500) as never;
					} else if (x < 0.98) {
						op = 'reset';
						run = (s) => s.reset(key, p) as never;
					} else {
						op = 'getState';
						run = (s) => s.getState(key, p) as never;
					}
					const [e, red] = [await run(stores[0]), await run(stores[1])];
					assert.deepEqual(shape(red, base), shape(e, base), `step ${step} (t+${now - base} ms): ${op}`);
					if (e.allowed && typeof e.leaseId === 'string') leases.push(e.leaseId);
				}
				const ev = await Promise.all(stores.map((s) => s.events(key, 100)));
				assert.deepEqual(ev[1].map((x) => `${x.from}>${x.to}: ${x.reason}`), ev[0].map((x) => `${x.from}>${x.to}: ${x.reason}`));
				assert.ok(ev[0].length > 2, "the sequence went through transitions");
				if (process.env.PARITY_DEBUG) console.log(name, seed, [...new Set(ev[0].map((x) => `${x.from}>${x.to}`))].join(" "));
			});
		}
	}
});
