// Forks idempotency-worker.ts processes and calls them over IPC (request id → reply).
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export class LedgerWorker {
	private next = 1;
	private readonly waiting = new Map<number, (m: { result?: unknown; error?: string }) => void>();
	readonly child: ChildProcess;
	readonly ready: Promise<number>;
	exited = false;

	constructor(prefix: string) {
		this.child = fork(join(__dirname, 'idempotency-worker.ts'), [], { execArgv: ['--import', 'tsx'], env: { ...process.env, IDEM_PREFIX: prefix } });
		this.ready = new Promise((resolve, reject) => {
			this.child.once('error', reject);
			this.child.on('message', (m: { ready?: boolean; pid: number; id?: number }) => {
				if (m.ready) resolve(m.pid);
				else this.waiting.get(m.id!)?.(m as never);
			});
			this.child.once('exit', (code, signal) => {
				this.exited = true;
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
		this.waiting.delete(id);
		if (reply.error) throw new Error(reply.error);
		return reply.result as T;
	}

	/** SIGKILL: no cleanup, no release, exactly like a crashed n8n worker. */
	async kill(): Promise<void> {
		if (this.exited) return;
		const gone = new Promise((r) => this.child.once('exit', r));
		this.child.kill('SIGKILL');
		await gone;
	}

	stop(): void {
		if (this.child.connected) this.child.disconnect();
	}
}
