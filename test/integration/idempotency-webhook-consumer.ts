// A webhook consumer built on the engine as the Idempotency Guard workflow will be: claim the event (durable
// before the ack), answer 2xx at once, run each step guarded by its own derived key, complete or release.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAxiosSend, createClassifier, executeWithRetry, getPreset, resolvePolicy, type RetryPolicy } from '../../src';
import { buildDeadLetter, type DeadLetterStore } from '../../src/deadletter';
import { deriveKey, executeGuarded, fingerprint, type IdempotencyLedger } from '../../src/idempotency';
import { buildReport } from '../../nodes/shared/output';
import type { Flow } from '../scenarios/flow-types';
import { CLIENT_HEADER, RUN_HEADER } from '../scenarios/mock-server';
import type { ItemRun } from '../scenarios/player';

export class WebhookConsumer {
	readonly items: ItemRun[] = [];
	/** Dead-letter ids written, one per failed processing; a redelivery that fails again returns to the same entry. */
	readonly deadLetterWrites: string[] = [];
	readonly claims: string[] = [];
	private readonly work: Array<Promise<void>> = [];
	private readonly server = http.createServer((req, res) => void this.handle(req, res));
	private deliveries = 0;

	constructor(
		private readonly flow: Flow,
		private readonly base: string,
		private readonly ledger: IdempotencyLedger,
		private readonly deadLetters: DeadLetterStore,
	) {}

	/** One entry per event: its id is derived from the event, so every failed delivery lands on it (replayOf). */
	static deadLetterId = (eventId: string) => `evt-${eventId.replace(/[^A-Za-z0-9_-]/g, '_')}`;

	static eventKey = (event: unknown) => deriveKey(event, ['id'], { prefix: 'event' });

	async start(): Promise<string> {
		await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
		return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	/** Waits for the queued work, then stops listening. */
	async close(): Promise<void> {
		for (let n = 0; n !== this.work.length; ) {
			n = this.work.length;
			await Promise.all(this.work);
		}
		await new Promise((r) => this.server.close(r));
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		let raw = '';
		for await (const chunk of req) raw += chunk;
		const event = JSON.parse(raw) as { id: string };
		const owner = `delivery-${++this.deliveries}`;
		const key = WebhookConsumer.eventKey(event);
		const c = await this.ledger.claim(key, { owner, fingerprint: fingerprint(event), leaseMs: 300_000 });
		this.claims.push(c.status);
		if (c.status === 'conflict') return void res.writeHead(409).end('{"error":"event id reused with another payload"}');
		// new: the claim is the durable record of the queued work; in-progress / duplicate: nothing new to do
		res.writeHead(c.status === 'new' ? 202 : 200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ received: c.status }));
		if (c.status === 'new') this.work.push(this.process(event, key, owner));
	}

	private async process(event: { id: string }, key: string, owner: string): Promise<void> {
		const preset = getPreset(this.flow.preset);
		const policy: RetryPolicy = resolvePolicy(preset, { jitter: 'additive', ...(this.flow.policy as Partial<RetryPolicy>) });
		const classify = createClassifier({ preset, policy });
		for (const [stepIndex, step] of this.flow.steps.entries()) {
			const startedAt = Date.now();
			const url = `${this.base}${step.path}`;
			const headers = { ...step.headers, [CLIENT_HEADER]: '1', [RUN_HEADER]: '1' };
			const stepKey = deriveKey(event, ['id'], { prefix: `step-${stepIndex + 1}` });
			const g = await executeGuarded({
				ledger: this.ledger,
				key: stepKey,
				owner,
				run: (idempotencyKey) =>
					executeWithRetry({
						request: { method: step.method, url, idempotencyKey },
						policy,
						classify,
						send: createAxiosSend({ method: step.method, url, headers, body: step.body, idempotencyKey, timeoutMs: policy.timeoutMs }),
						clock: { now: () => Date.now() },
						sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
						random: () => Math.random() * 0.8,
					}),
			});
			if (g.status !== 'executed') continue;
			this.items.push({ client: 1, run: '1', stepIndex, startedAt, settledAt: Date.now(), result: g.result, outcome: g.result.outcome, idempotencyKey: stepKey, messages: g.result.warnings, warned: false });
			if (g.action !== 'complete') {
				await this.ledger.release(key, owner);
				const report = buildReport(g.result, { method: step.method, url, idempotencyKey: stepKey });
				const draft = buildDeadLetter(report, { queue: 'webhook-events', item: event, requestHeaders: step.headers, requestBody: step.body, node: `step-${stepIndex + 1}` });
				const written = await this.deadLetters.write(draft, { replayOf: WebhookConsumer.deadLetterId(event.id) });
				this.deadLetterWrites.push(written.id);
				return;
			}
		}
		await this.ledger.complete(key, owner, { processed: true });
	}
}
