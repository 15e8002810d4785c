// Real n8n (`n8n start`): an active Webhook workflow guarded by the Idempotency Guard receives the same event five
// times concurrently and five times in sequence; the downstream mock must record exactly one side effect.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import { declaredNodeTypes, startHost, type Host } from './harness/host';

const SIDE_EFFECT_MS = 600;

describe('webhook dedupe in real n8n', { timeout: 15 * 60_000 }, () => {
	let host: Host;
	let mock: Server;
	let mockBase = '';
	const effects: Record<string, number> = {};
	const prefix = `e2e-webhook-${process.pid}`;
	const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
	let hook = (_p: string) => '';
	const ids: Record<string, string> = {};

	/** Webhook → Claim (key = event id) → New: HTTP side effect → Complete → 200; Duplicate → 200; held → 409 (deliver again). */
	function workflow(name: string, path: string, hookId: number, store: Record<string, unknown>, credentials?: Record<string, { id: string; name: string }>) {
		const guard = declaredNodeTypes().find((d) => d.type.endsWith('.idempotencyGuard'))!.type;
		const n = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
		const tag = (id: number, nodeName: string, route: string, x: number, y: number) => ({
			id: n(id),
			name: nodeName,
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [x, y],
			parameters: {
				assignments: {
					assignments: [
						{ id: 'r', name: 'route', value: route, type: 'string' },
						{ id: 's', name: 'status', value: `={{ $('Claim').item.json.idempotency.status }}`, type: 'string' },
					],
				},
				options: {},
			},
		});
		const respond = (id: number, nodeName: string, code: number, x: number, y: number) => ({
			id: n(id),
			name: nodeName,
			type: 'n8n-nodes-base.respondToWebhook',
			typeVersion: 1.1,
			position: [x, y],
			parameters: { respondWith: 'firstIncomingItem', options: { responseCode: code } },
		});
		const c = credentials ? { credentials } : {};
		return {
			name,
			nodes: [
				{ id: n(1), name: 'Hook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: n(100 + hookId), parameters: { httpMethod: 'POST', path, responseMode: 'responseNode', options: {} } },
				{ id: n(2), name: 'Claim', type: guard, typeVersion: 1, position: [220, 0], parameters: { operation: 'claim', key: '={{ $json.body.id }}', ...store }, ...c },
				{
					id: n(3),
					name: 'Side Effect',
					type: 'n8n-nodes-base.httpRequest',
					typeVersion: 4.2,
					position: [440, -100],
					parameters: { method: 'POST', url: `${mockBase}/effects`, sendBody: true, specifyBody: 'json', jsonBody: '={{ JSON.stringify({ event: $json.body.id }) }}', options: {} },
				},
				{
					id: n(4),
					name: 'Complete',
					type: guard,
					typeVersion: 1,
					position: [660, -100],
					parameters: { operation: 'complete', claimKey: "={{ $('Claim').item.json.idempotency.key }}", claimOwner: "={{ $('Claim').item.json.idempotency.owner }}", ...store },
					...c,
				},
				tag(5, 'Done', 'new', 880, -100),
				tag(6, 'Already Done', 'duplicate', 440, 100),
				tag(7, 'Busy', 'held', 440, 250),
				respond(8, 'Answer 200', 200, 1100, 0),
				// Held is not done: a 409 makes the provider deliver again later, so the event is not lost if the holder fails.
				respond(9, 'Answer 409', 409, 660, 250),
			],
			connections: {
				Hook: { main: [[{ node: 'Claim', type: 'main', index: 0 }]] },
				Claim: { main: [[{ node: 'Side Effect', type: 'main', index: 0 }], [{ node: 'Already Done', type: 'main', index: 0 }], [{ node: 'Busy', type: 'main', index: 0 }]] },
				'Side Effect': { main: [[{ node: 'Complete', type: 'main', index: 0 }]] },
				Complete: { main: [[{ node: 'Done', type: 'main', index: 0 }]] },
				Done: { main: [[{ node: 'Answer 200', type: 'main', index: 0 }]] },
				'Already Done': { main: [[{ node: 'Answer 200', type: 'main', index: 0 }]] },
				Busy: { main: [[{ node: 'Answer 409', type: 'main', index: 0 }]] },
			},
			settings: { executionOrder: 'v1' },
			active: false,
		};
	}

	before(async () => {
		mock = createServer((req, res) => {
			let body = '';
			req.on('data', (d) => (body += d));
			req.on('end', () => {
				const event = String((JSON.parse(body || '{}') as { event?: string }).event);
				effects[event] = (effects[event] ?? 0) + 1;
				// A slow side effect keeps the first claim in progress while the concurrent deliveries arrive.
				setTimeout(() => {
					res.setHeader('content-type', 'application/json');
					res.end(JSON.stringify({ accepted: event, n: effects[event] }));
				}, SIDE_EFFECT_MS);
			});
		});
		await new Promise<void>((r) => mock.listen(0, '127.0.0.1', r));
		mockBase = `http://127.0.0.1:${(mock.address() as AddressInfo).port}`;
		host = await startHost();
		const [cred] = await host.importCredentials([{ name: 'Redis', type: 'resilienceRedisApi', data: { host: '127.0.0.1', port: 6379, database: 0, keyPrefix: prefix } }]);
		ids.redis = await host.importWorkflow(workflow('dedupe: redis', 'dedupe-redis', 1, { stateBackend: 'redis' }, { resilienceRedisApi: { id: cred, name: 'Redis' } }), { activate: true });
		ids.embedded = await host.importWorkflow(workflow('dedupe: embedded', 'dedupe-embedded', 2, { stateBackend: 'embedded' }), { activate: true });
		hook = (await host.startServer()).webhookUrl;
		await redis.connect();
	});

	after(async () => {
		await host?.cleanup();
		mock?.close();
		const left = await redis.keys(`${prefix}:*`).catch(() => [] as string[]);
		if (left.length) await redis.del(...left);
		redis.disconnect();
	});

	const deliver = async (path: string, id: string) => {
		const res = await fetch(hook(path), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id, type: 'contact.created' }) });
		const body = (await res.json()) as { route: string; status: string };
		assert.equal(res.status, body.route === 'held' ? 409 : 200, JSON.stringify(body));
		return { ...body, code: res.status };
	};
	const tally = (answers: { route: string }[]) => answers.reduce<Record<string, number>>((m, a) => ({ ...m, [a.route]: (m[a.route] ?? 0) + 1 }), {});

	const events: Record<string, string> = {};
	for (const backend of ['redis', 'embedded'] as const) {
		it(`${backend}: five concurrent and five sequential deliveries of one event make one side effect`, async () => {
			const event = (events[backend] = `evt-${backend}-${process.pid}`);
			const path = `dedupe-${backend}`;
			const concurrent = await Promise.all(Array.from({ length: 5 }, () => deliver(path, event)));
			const sequential: { route: string; status: string }[] = [];
			for (let i = 0; i < 5; i++) sequential.push(await deliver(path, event));
			console.log(`${backend}: concurrent ${JSON.stringify(tally(concurrent))} (HTTP ${concurrent.map((a) => a.code).join(',')}), sequential ${JSON.stringify(tally(sequential))}, side effects ${effects[event]}`);
			assert.equal(effects[event], 1, 'exactly one side effect');
			assert.equal(tally(concurrent).new, 1, 'one delivery ran it');
			assert.equal((tally(concurrent).duplicate ?? 0) + (tally(concurrent).held ?? 0), 4, 'the rest were answered without it');
			assert.deepEqual(tally(sequential), { duplicate: 5 });
			if (backend === 'redis') {
				const state = await redis.hget(`${prefix}:wf:${ids.redis}:idempotency:{${event}}`, 'state');
				assert.equal(state, 'completed', 'the ledger record lives in Redis');
			}
		});
	}

	it('after an n8n restart both still answer Duplicate: Redis keeps the ledger, embedded reloads it from static data', async () => {
		await host.stop();
		hook = (await host.startServer()).webhookUrl;
		for (const backend of ['redis', 'embedded'] as const) {
			const a = await deliver(`dedupe-${backend}`, events[backend]);
			console.log(`${backend} after restart: ${a.route}, side effects ${effects[events[backend]]}`);
			assert.equal(a.route, 'duplicate', backend);
			assert.equal(effects[events[backend]], 1, backend);
		}
	});
});
