// A separate Node process holding its own Redis connection; the multi-process test drives it over IPC.
import Redis from 'ioredis';
import { resolveBreakerPolicy } from '../../src/breaker';
import { RedisBreakerStore } from '../../src/store';

type Msg =
	| { id: number; op: 'acquire'; n: number }
	| { id: number; op: 'record'; kind: 'success' | 'failure'; n: number; leaseId?: string }
	| { id: number; op: 'state' };

const client = new Redis({ host: '127.0.0.1', port: 6379 });
const store = new RedisBreakerStore(client, { prefix: process.env.BREAKER_PREFIX!, namespace: 'multi' });
const policy = resolveBreakerPolicy(JSON.parse(process.env.BREAKER_POLICY!));
const key = process.env.BREAKER_KEY!;

async function handle(m: Msg): Promise<unknown> {
	if (m.op === 'acquire') {
		const all = [];
		for (let i = 0; i < m.n; i++) all.push(await store.acquire(key, policy));
		return {
			granted: all.filter((a) => a.allowed && a.probe).map((a) => (a.allowed ? a.leaseId : '')),
			allowed: all.filter((a) => a.allowed).length,
			rejectedStates: [...new Set(all.filter((a) => !a.allowed).map((a) => a.view.state))],
			retryAt: all.map((a) => (!a.allowed ? a.retryAt : undefined)).find((x) => x !== undefined),
		};
	}
	if (m.op === 'record') {
		let last;
		for (let i = 0; i < m.n; i++) last = await store.record(key, { kind: m.kind, leaseId: m.leaseId }, policy);
		return last;
	}
	return store.getState(key, policy);
}

process.on('message', (m: Msg) => {
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
