// Three Node processes, one Redis: 10,000 concurrent claims over 1,000 keys give exactly 1,000 "new";
// a holder killed mid-claim frees its key only after its lease, and the side effect still happens once.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import { RedisIdempotencyLedger, type ClaimResult } from '../../src/idempotency';
import { LedgerWorker } from './idempotency-workers';

const PREFIX = `rt-idem-int-${randomUUID().slice(0, 8)}`;
const PROCESSES = 3;
const KEYS = 1000;
const CLAIMS = 10_000;

type ClaimsReport = { counts: Record<string, number>; won: Array<[string, string]>; results: Array<{ key: string; by: string }>; startedAt: number; endedAt: number };

/** A downstream API that records every POST and counts one side effect per Idempotency-Key (as Stripe does). */
function effectsMock() {
	const requests: string[] = [];
	const server = http.createServer((req, res) => {
		req.resume().on('end', () => {
			requests.push(String(req.headers['idempotency-key']));
			res.writeHead(201, { 'Content-Type': 'application/json' }).end('{"id":"ALLOC_1"}');
		});
	});
	return { server, requests, effects: () => new Set(requests).size };
}

describe('idempotency ledger shared by three processes through Redis', { timeout: 120_000 }, () => {
	const redis = new Redis({ host: '127.0.0.1', port: 6379 });
	const ledger = new RedisIdempotencyLedger(redis, { prefix: PREFIX, namespace: 'wf:integration' });
	const mock = effectsMock();
	let url = '';
	let workers: LedgerWorker[] = [];
	const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

	before(async () => {
		workers = Array.from({ length: PROCESSES }, () => new LedgerWorker(PREFIX));
		const pids = await Promise.all(workers.map((w) => w.ready));
		assert.equal(new Set([...pids, process.pid]).size, PROCESSES + 1, 'distinct worker processes');
		await new Promise<void>((r) => mock.server.listen(0, '127.0.0.1', r));
		url = `http://127.0.0.1:${(mock.server.address() as AddressInfo).port}/ledger/allocations`;
	});
	after(async () => {
		for (const w of workers) w.stop();
		mock.server.close();
		let cursor = '0';
		do {
			const [next, keys] = await redis.scan(cursor, 'MATCH', `${PREFIX}:*`, 'COUNT', 1000);
			cursor = next;
			if (keys.length) await redis.del(...keys);
		} while (cursor !== '0');
		await redis.quit();
	});

	it(`${CLAIMS} concurrent claims over ${KEYS} keys from ${PROCESSES} processes: exactly ${KEYS} are new`, async () => {
		// claim i is for key i mod 1000, dealt round-robin, so every key is contended by every process at once
		const share = workers.map((_, w) => Array.from({ length: CLAIMS }, (_, i) => i).filter((i) => i % PROCESSES === w).map((i) => `evt-${i % KEYS}`));
		const reports = await Promise.all(workers.map((w, i) => w.call<ClaimsReport>({ op: 'claims', keys: share[i], leaseMs: 60_000 })));
		const total = (s: string) => reports.reduce((n, r) => n + (r.counts[s] ?? 0), 0);
		const won = reports.flatMap((r) => r.won.map(([k]) => k));
		const wallMs = Math.max(...reports.map((r) => r.endedAt)) - Math.min(...reports.map((r) => r.startedAt));
		console.log(
			`# ${CLAIMS} claims / ${KEYS} keys / ${PROCESSES} processes: new=${total('new')} in-progress=${total('in-progress')} ` +
				`duplicate=${total('duplicate')} in ${wallMs} ms = ${Math.round((CLAIMS / wallMs) * 1000)} claims/s; ` +
				`new per process: ${reports.map((r) => r.counts.new ?? 0).join('/')}`,
		);
		assert.equal(total('new'), KEYS);
		assert.equal(total('in-progress'), CLAIMS - KEYS);
		assert.equal(new Set(won).size, KEYS, 'each key won exactly once');
		assert.ok(reports.filter((r) => (r.counts.new ?? 0) > 0).length >= 2, 'the wins are spread over processes');

		const completed = await Promise.all(workers.map((w, i) => w.call<number>({ op: 'complete-all', won: reports[i].won })));
		assert.equal(completed.reduce((a, b) => a + b, 0), KEYS);
		const winner = new Map(reports.flatMap((r) => r.won));
		const again = await Promise.all(workers.map((w, i) => w.call<ClaimsReport>({ op: 'claims', keys: share[i], leaseMs: 60_000 })));
		const againMs = Math.max(...again.map((r) => r.endedAt)) - Math.min(...again.map((r) => r.startedAt));
		const dups = again.flatMap((r) => r.results);
		console.log(`# second round: ${dups.length} duplicates with stored results in ${againMs} ms = ${Math.round((CLAIMS / againMs) * 1000)} claims/s`);
		assert.equal(dups.length, CLAIMS, 'after completion every claim is a duplicate');
		assert.ok(dups.every((d) => winner.get(d.key) === d.by), 'each duplicate carries the result its winner stored');
	});

	it('a holder killed before its side effect: the key is reclaimable after its lease, not before; the effect happens once', async () => {
		const key = 'evt_crash_before_effect';
		const [doomed, survivor] = workers;
		const held = await doomed.call<ClaimResult>({ op: 'claim', key, leaseMs: 3000 });
		assert.equal(held.status, 'new');
		await doomed.kill();
		const early = await survivor.call<ClaimResult>({ op: 'claim', key, leaseMs: 3000 });
		assert.equal(early.status, 'in-progress', 'the dead holder still protects the key during its lease');
		const v = await ledger.check(key);
		assert.ok(v.leaseExpiresAt! - v.now > 1500, 'checked well before the lease ends');
		// a margin for a loaded machine: the claim must reach Redis before the lease ends
		await sleep(v.leaseExpiresAt! - v.now - 1000);
		assert.equal((await survivor.call<ClaimResult>({ op: 'claim', key, leaseMs: 3000 })).status, 'in-progress', 'about 1 s before the lease ends');
		const left = await ledger.check(key);
		await sleep(left.leaseExpiresAt! - left.now + 50);
		const taken = await survivor.call<ClaimResult>({ op: 'claim', key, leaseMs: 2000 });
		assert.ok(taken.status === 'new' && taken.tookOver, 'taken over after the lease');
		assert.match(taken.tookOver.note, /took over an expired lease/);
		console.log(`# crash before effect: ${taken.tookOver.note}`);
		assert.equal(await survivor.call({ op: 'effect', key, url }), 201);
		assert.equal((await survivor.call<{ status: string }>({ op: 'complete', key, result: { id: 'ALLOC_1' } })).status, 'completed');
		const later = await workers[2].call<ClaimResult>({ op: 'claim', key, leaseMs: 2000 });
		assert.ok(later.status === 'duplicate' && (later.result as { id: string }).id === 'ALLOC_1');
		assert.deepEqual(mock.requests.filter((k) => k === key).length, 1, 'exactly one downstream call');
		workers = workers.slice(1);
	});

	it('a holder killed after its side effect but before completing: the retry reuses the key, the effect still counts once', async () => {
		const key = 'evt_crash_after_effect';
		workers.push(new LedgerWorker(PREFIX));
		await workers[workers.length - 1].ready;
		const [doomed, survivor] = workers;
		assert.equal((await doomed.call<ClaimResult>({ op: 'claim', key, leaseMs: 1500 })).status, 'new');
		assert.equal(await doomed.call({ op: 'effect', key, url }), 201);
		await doomed.kill();
		assert.equal((await survivor.call<ClaimResult>({ op: 'claim', key, leaseMs: 1500 })).status, 'in-progress');
		const v = await ledger.check(key);
		await sleep(v.leaseExpiresAt! - v.now + 100);
		const taken = await survivor.call<ClaimResult>({ op: 'claim', key, leaseMs: 1500 });
		assert.ok(taken.status === 'new' && taken.tookOver && taken.attempt === 2);
		assert.equal(await survivor.call({ op: 'effect', key, url }), 201);
		await survivor.call({ op: 'complete', key, result: { id: 'ALLOC_1' } });
		const sent = mock.requests.filter((k) => k === key).length;
		console.log(`# crash after effect: ${sent} requests carrying one Idempotency-Key -> ${new Set(mock.requests.filter((k) => k === key)).size} side effect`);
		assert.equal(sent, 2, 'the taken-over attempt re-sent the request');
		assert.equal(mock.effects(), 2, 'one side effect per key over both crash tests');
		workers = workers.slice(1);
	});
});
