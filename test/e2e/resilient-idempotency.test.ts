// Real n8n: Resilient HTTP with "Guard With Idempotency Ledger" against a loopback mock that counts side effects.
// (a) the same 20 items run twice: the second run sends nothing and answers all 20 from the ledger;
// (b) a POST reset after its side effect is retried with the same key (Idempotency Key: Auto), and the key-honouring
//     mock applies it once; (b2) the guard's own key alone never makes a lost write retryable, so turning the guard on
//     against an API that ignores keys adds no duplicate; (c) HubSpot: a 409 "Contact already exists" met by our own
//     retry is resolved with existingId; someone else's fails.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import { buildWorkflow, declaredNodeTypes, describeRun, startHost, type Host } from './harness/host';
import { assertPaired, itemsNode, outItems } from './oauth-mock/helpers';

interface Mock {
	requests: number;
	sideEffects: number;
	keys: string[];
	resetOnce: Set<string>;
	contacts: Map<string, number>;
}

const readBody = (req: IncomingMessage) =>
	new Promise<string>((r) => {
		let b = '';
		req.on('data', (c) => (b += c));
		req.on('end', () => r(b));
	});

describe('Resilient HTTP idempotency guard in real n8n', { timeout: 15 * 60_000 }, () => {
	let host: Host;
	let server: Server;
	let base = '';
	let http = '';
	const m: Mock = { requests: 0, sideEffects: 0, keys: [], resetOnce: new Set(), contacts: new Map() };
	const done = new Map<string, string>();
	let nextId = 500;
	const prefix = `e2e-guard-${process.pid}`;
	const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
	let redisCred = '';

	// Orders honour Idempotency-Key (a repeated key gets the first response); HubSpot contacts ignore it, like HubSpot.
	async function handle(req: IncomingMessage, res: ServerResponse) {
		m.requests++;
		const body = await readBody(req);
		const key = String(req.headers['idempotency-key'] ?? '');
		m.keys.push(key);
		res.setHeader('content-type', 'application/json');
		if (req.url?.startsWith('/orders')) {
			if (key && done.has(key)) return res.end(done.get(key));
			m.sideEffects++;
			if (req.url.includes('slow')) await new Promise((r) => setTimeout(r, 20_000));
			const reply = JSON.stringify({ orderId: m.sideEffects, received: JSON.parse(body || '{}') });
			if (key) done.set(key, reply);
			if (req.url.includes('reset') && !m.resetOnce.has(key)) {
				m.resetOnce.add(key);
				return req.socket.destroy();
			}
			res.statusCode = 201;
			return res.end(reply);
		}
		if (req.url?.startsWith('/enrollments')) {
			// Ignores Idempotency-Key, like Outreach: every POST that arrives is applied.
			m.sideEffects++;
			const row = String((JSON.parse(body || '{}') as { row?: number }).row);
			if (!m.resetOnce.has(`enroll-${row}`)) {
				m.resetOnce.add(`enroll-${row}`);
				return req.socket.destroy();
			}
			res.statusCode = 201;
			return res.end(JSON.stringify({ enrolled: row }));
		}
		const email = String((JSON.parse(body || '{}') as { properties?: { email?: string } }).properties?.email);
		const existing = m.contacts.get(email);
		if (existing !== undefined) {
			res.statusCode = 409;
			return res.end(JSON.stringify({ status: 'error', message: `Contact already exists. Existing ID: ${existing}`, category: 'CONFLICT' }));
		}
		m.sideEffects++;
		const id = ++nextId;
		m.contacts.set(email, id);
		if (email.startsWith('reset') && !m.resetOnce.has(email)) {
			m.resetOnce.add(email);
			return req.socket.destroy();
		}
		res.statusCode = 201;
		res.end(JSON.stringify({ id: String(id), properties: { email } }));
	}

	before(async () => {
		server = createServer((req, res) => void handle(req, res));
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		host = await startHost();
		http = declaredNodeTypes().find((d) => d.type.endsWith('.resilientHttp'))!.type;
		[redisCred] = await host.importCredentials([{ name: 'Redis', type: 'resilienceRedisApi', data: { host: '127.0.0.1', port: 6379, database: 0, keyPrefix: prefix } }]);
		await redis.connect();
	});
	after(async () => {
		await host?.cleanup();
		server?.close();
		const keys = await redis.keys(`${prefix}:*`).catch(() => [] as string[]);
		if (keys.length) await redis.del(...keys);
		redis.disconnect();
	});

	const snapshot = () => ({ requests: m.requests, sideEffects: m.sideEffects, keys: m.keys.length });
	const since = (s: ReturnType<typeof snapshot>) => ({ requests: m.requests - s.requests, sideEffects: m.sideEffects - s.sideEffects, keys: m.keys.slice(s.keys) });
	const httpNode = (parameters: Record<string, unknown>) => ({ name: 'HTTP', type: http, parameters: { method: 'POST', sendBody: true, bodyType: 'json', idempotencyGuard: true, ...parameters } });
	async function run(id: string) {
		const r = await host.execute(id);
		assert.ok(r.ok, describeRun(r));
		return { success: outItems(r, 'HTTP', 0), failed: outItems(r, 'HTTP', 1) };
	}

	it('(a) the same 20 items twice, embedded ledger: run 2 sends 0 requests and returns all 20 on Success marked duplicate', async () => {
		const id = await host.importWorkflow(
			buildWorkflow('guard: 20 orders twice', [itemsNode('Items', 20), httpNode({ preset: 'generic', url: `${base}/orders`, jsonBody: '={{ JSON.stringify({ row: $json.row, email: $json.email }) }}' })]),
		);
		const s1 = snapshot();
		const first = await run(id);
		const d1 = since(s1);
		console.log(`run 1: ${d1.requests} requests, ${d1.sideEffects} side effects, ${first.success.length} on Success`);
		assert.equal(d1.requests, 20);
		assert.equal(d1.sideEffects, 20);
		assertPaired(first.success, 20);
		assert.equal(new Set(d1.keys).size, 20, 'one distinct Idempotency-Key per item');
		assert.ok(first.success.every((i) => i.json.idempotency === undefined && typeof i.json.orderId === 'number'));

		const s2 = snapshot();
		const second = await run(id);
		const d2 = since(s2);
		console.log(`run 2: ${d2.requests} requests, ${d2.sideEffects} side effects, ${second.success.length} on Success (duplicates), ${second.failed.length} Failed`);
		assert.equal(d2.requests, 0, 'no request for an item the ledger holds as done');
		assert.equal(second.failed.length, 0);
		assertPaired(second.success, 20);
		for (const item of second.success) {
			const row = item.pairedItem!.item;
			const was = first.success.find((f) => f.pairedItem!.item === row)!;
			assert.equal(item.json.idempotency.duplicate, true);
			assert.ok(Date.parse(item.json.idempotency.firstDoneAt) > 0);
			assert.equal(item.json.orderId, was.json.orderId, 'the stored response, not a new one');
			assert.equal(item.json.received.row, row);
			assert.equal('resilience' in item.json, false);
		}
	});

	it('(b) a POST reset after its side effect is retried with the same key (Idempotency Key: Auto); the key-honouring mock applies it once', async () => {
		const id = await host.importWorkflow(
			buildWorkflow('guard: reset after side effect', [
				itemsNode('Items', 1),
				httpNode({ preset: 'generic', url: `${base}/orders/reset`, jsonBody: '={{ JSON.stringify({ row: $json.row, sku: "A-1" }) }}', options: { idempotencyMode: 'auto', baseDelayMs: 100, maxAttempts: 3 } }),
			]),
		);
		const s = snapshot();
		const r = await run(id);
		const d = since(s);
		console.log(`reset run: ${d.requests} requests, ${d.sideEffects} side effect(s), keys ${JSON.stringify(d.keys)}`);
		assert.equal(d.requests, 2, 'reset, then one retry');
		assert.equal(d.sideEffects, 1, 'the server applied the order once');
		assert.equal(new Set(d.keys).size, 1, 'both attempts carried the same key');
		assert.ok(d.keys[0].length > 0);
		assertPaired(r.success, 1);
		assert.equal(r.success[0].json.orderId, m.sideEffects);
		const again = await run(id);
		assert.equal(since(s).requests, 2, 'a rerun answers from the ledger');
		assert.equal(again.success[0].json.idempotency.duplicate, true);
	});

	it('(b2) the guard alone (Idempotency Key: None) against an API that ignores keys: a reset write is not resent, its key is kept, no duplicate', async () => {
		const id = await host.importWorkflow(
			buildWorkflow('guard: keys ignored', [itemsNode('Items', 1), httpNode({ preset: 'generic', url: `${base}/enrollments`, jsonBody: '={{ JSON.stringify({ row: $json.row }) }}', options: { baseDelayMs: 100 } })]),
		);
		const s = snapshot();
		const r = await run(id);
		assert.deepEqual([since(s).requests, since(s).sideEffects], [1, 1], 'sent once, applied once, not resent');
		assertPaired(r.failed, 1);
		assert.equal(r.failed[0].json.resilience.outcome, 'ambiguous');
		assert.equal(r.failed[0].json.resilience.idempotency.settled, 'kept until the lease ends');
		const again = await run(id);
		assert.equal(since(s).requests, 1, 'a rerun inside the lease sends nothing');
		assert.equal(again.failed[0].json.resilience.outcome, 'in-progress');
	});

	it('(c) HubSpot 409 after our own retry → Success resolved with existingId; someone else\'s 409 → Failed unless Treat Conflict as Resolved', async () => {
		m.contacts.set('taken@example.com', 42);
		const items = {
			name: 'Items',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			parameters: { jsCode: "return ['reset@example.com', 'taken@example.com', 'new@example.com'].map((email) => ({ json: { email } }));" },
		};
		const node = (extra: Record<string, unknown>) =>
			httpNode({ preset: 'hubspot', url: `${base}/crm/v3/objects/contacts`, jsonBody: '={{ JSON.stringify({ properties: { email: $json.email } }) }}', ...extra });
		// HubSpot ignores Idempotency-Key, so the guard's key does not make a create retryable: the user opts in, and
		// the 409 our own retry meets proves the first attempt created the contact.
		const id = await host.importWorkflow(buildWorkflow('guard: hubspot conflicts', [items, node({ options: { baseDelayMs: 100, retryNonIdempotent: true } })]));
		const s = snapshot();
		const r = await run(id);
		const d = since(s);
		console.log(`hubspot run: ${d.requests} requests, ${d.sideEffects} contacts created; Success ${JSON.stringify(r.success.map((i) => i.json))}; Failed ${JSON.stringify(r.failed.map((i) => i.json.resilience.extract))}`);
		assert.equal(d.sideEffects, 2, 'reset@ and new@ created once each');
		assert.equal(d.requests, 4, 'reset@ twice (reset, then 409), taken@ once, new@ once');
		const resolved = r.success.find((i) => i.pairedItem!.item === 0)!;
		assert.equal(resolved.json.resolved, true);
		assert.equal(resolved.json.existingId, String(m.contacts.get('reset@example.com')));
		assert.equal(resolved.json.resolution.why, 'own-retry');
		assert.equal(r.success.find((i) => i.pairedItem!.item === 2)!.json.id, String(m.contacts.get('new@example.com')));
		assertPaired(r.failed, 1);
		assert.equal(r.failed[0].json.resilience.outcome, 'conflict');
		assert.deepEqual(r.failed[0].json.resilience.extract, { existingId: '42' });
		assert.equal(r.failed[0].json.email, 'taken@example.com');

		const id2 = await host.importWorkflow(buildWorkflow('guard: hubspot treat as resolved', [items, node({ idempotencyGuard: false, options: { treatConflictAsResolved: true } })]));
		const r2 = await run(id2);
		assert.equal(r2.failed.length, 0);
		const taken = r2.success.find((i) => i.pairedItem!.item === 1)!;
		assert.deepEqual([taken.json.existingId, taken.json.resolution.why], ['42', 'treat-as-resolved']);
	});

	it('(d) the guard alone on Redis (circuit breaker off): the credential is accepted, keys live in Redis, run 2 sends 0', async () => {
		const id = await host.importWorkflow(
			buildWorkflow('guard: redis', [
				itemsNode('Items', 5),
				{
					...httpNode({ preset: 'generic', url: `${base}/orders`, stateBackend: 'redis', jsonBody: '={{ JSON.stringify({ redisRow: $json.row }) }}' }),
					credentials: { resilienceRedisApi: { id: redisCred, name: 'Redis' } },
				},
			]),
		);
		const s = snapshot();
		const first = await run(id);
		assert.equal(first.failed.length, 0, JSON.stringify(first.failed[0]?.json.resilience));
		assert.equal(since(s).sideEffects, 5);
		const stored = await redis.keys(`${prefix}:*idempotency*`);
		assert.equal(stored.length, 5, `ledger keys in Redis: ${stored.join(', ')}`);
		const second = await run(id);
		assert.equal(since(s).requests, 5, 'run 2 sent nothing');
		assert.ok(second.success.length === 5 && second.success.every((i) => i.json.idempotency.duplicate === true));
	});

	it('(e) two executions at once on Redis: each order is sent once; the other execution finds it in progress (Failed, retryAt = lease end) or done', async () => {
		const id = await host.importWorkflow(
			buildWorkflow('guard: concurrent', [
				itemsNode('Items', 3),
				{
					...httpNode({ preset: 'generic', url: `${base}/orders/slow`, stateBackend: 'redis', jsonBody: '={{ JSON.stringify({ slowRow: $json.row }) }}' }),
					credentials: { resilienceRedisApi: { id: redisCred, name: 'Redis' } },
				},
			]),
		);
		const s = snapshot();
		const startedAt = Date.now();
		const [a, b] = await Promise.all([run(id), run(id)]);
		const d = since(s);
		const inProgress = [...a.failed, ...b.failed];
		const duplicates = [...a.success, ...b.success].filter((i) => i.json.idempotency?.duplicate);
		console.log(`concurrent: ${d.requests} requests, ${d.sideEffects} side effects; in-progress ${inProgress.length}, duplicates ${duplicates.length}`);
		assert.equal(d.sideEffects, 3, 'each order applied once across both executions');
		assert.equal(d.requests, 3);
		assert.equal(inProgress.length + duplicates.length, 3, 'the losing execution sent nothing');
		for (const i of inProgress) {
			assert.equal(i.json.resilience.outcome, 'in-progress');
			assert.equal(i.json.resilience.attempts.length, 0);
			assert.ok(Date.parse(i.json.resilience.retryAt) >= startedAt + 5 * 60_000 - 1000, i.json.resilience.retryAt);
		}
	});
});
