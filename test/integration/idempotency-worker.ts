// A separate Node process with its own Redis connection; the idempotency integration tests drive it over IPC.
import Redis from 'ioredis';
import { RedisIdempotencyLedger } from '../../src/idempotency';

export type WorkerMsg =
	| { id: number; op: 'claims'; keys: string[]; leaseMs: number }
	| { id: number; op: 'complete-all'; won: Array<[string, string]> }
	| { id: number; op: 'claim'; key: string; leaseMs: number }
	| { id: number; op: 'effect'; key: string; url: string }
	| { id: number; op: 'complete'; key: string; result: unknown };

const client = new Redis({ host: '127.0.0.1', port: 6379 });
const ledger = new RedisIdempotencyLedger(client, { prefix: process.env.IDEM_PREFIX!, namespace: 'wf:integration' });
const me = `pid-${process.pid}`;

async function handle(m: WorkerMsg): Promise<unknown> {
	if (m.op === 'claims') {
		// every claim is its own claimant (one execution item each), all sent at once
		const startedAt = Date.now();
		const all = await Promise.all(m.keys.map((k, i) => ledger.claim(k, { owner: `${me}:${i}`, leaseMs: m.leaseMs })));
		const endedAt = Date.now();
		const counts: Record<string, number> = {};
		for (const r of all) counts[r.status] = (counts[r.status] ?? 0) + 1;
		const won: Array<[string, string]> = all.flatMap((r, i) => (r.status === 'new' ? [[m.keys[i], r.owner] as [string, string]] : []));
		const results = all.flatMap((r) => (r.status === 'duplicate' ? [r.result] : []));
		return { counts, won, results, startedAt, endedAt };
	}
	if (m.op === 'complete-all') {
		const all = await Promise.all(m.won.map(([k, owner]) => ledger.complete(k, owner, { key: k, by: owner })));
		return all.filter((r) => r.status === 'completed').length;
	}
	if (m.op === 'claim') return ledger.claim(m.key, { owner: me, leaseMs: m.leaseMs });
	if (m.op === 'effect') {
		const res = await fetch(m.url, { method: 'POST', headers: { 'Idempotency-Key': m.key, 'Content-Type': 'application/json' }, body: JSON.stringify({ by: me }) });
		return res.status;
	}
	return ledger.complete(m.key, me, m.result);
}

process.on('message', (m: WorkerMsg) => {
	handle(m).then(
		(result) => process.send!({ id: m.id, pid: process.pid, result }),
		(e: Error) => process.send!({ id: m.id, pid: process.pid, error: e.message }),
	);
});
process.on('disconnect', () => {
	client.disconnect();
	process.exit(0);
});
client.once('ready', () => process.send!({ ready: true, pid: process.pid }));
