// Real n8n: the step-level example (enrich → CRM upsert → enroll, one guard per step) resumes a failed lead at the
// failed step, and the Idempotency Guard node's edges: same key twice in a batch, conflicts, check, errors, fallback.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Redis from 'ioredis';
import { buildWorkflow, declaredNodeTypes, describeRun, repoDir, startHost, type ExecResult, type Host } from './harness/host';
import { assertPaired, outItems } from './oauth-mock/helpers';

describe('idempotency guard in real n8n: step-level pipeline and node behaviour', { timeout: 15 * 60_000 }, () => {
	let host: Host;
	let server: Server;
	let base = '';
	let guard = '';
	let deadRedis = '';
	let liveRedis = '';
	const prefix = `e2e-guard-${process.pid}`;
	const failEnroll = new Set<string>();
	let crash = false;
	const hits: Record<string, number> = {};
	const keys: string[] = [];

	before(async () => {
		server = createServer((req, res) => {
			let body = '';
			req.on('data', (c) => (body += c));
			req.on('end', () => {
				const path = req.url ?? '';
				hits[path] = (hits[path] ?? 0) + 1;
				keys.push(String(req.headers['idempotency-key'] ?? ''));
				const b = JSON.parse(body || '{}') as Record<string, string>;
				res.setHeader('content-type', 'application/json');
				if (path === '/effect' && crash) {
					res.statusCode = 500;
					return res.end('{"message":"worker died"}');
				}
				if (path === '/enrich') return res.end(JSON.stringify({ email: b.email, company: `Co of ${b.email}`, title: 'VP Sales' }));
				if (path === '/crm/contacts') return res.end(JSON.stringify({ id: `c-${b.email}`, company: b.company }));
				if (path === '/sequences/enroll' && failEnroll.has(b.contact_id)) {
					res.statusCode = 400;
					return res.end(JSON.stringify({ message: 'mailbox not verified' }));
				}
				res.end(JSON.stringify({ enrolled: true, contact_id: b.contact_id }));
			});
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		host = await startHost();
		guard = declaredNodeTypes().find((d) => d.type.endsWith('.idempotencyGuard'))!.type;
		const probe = createServer();
		await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
		const closedPort = (probe.address() as AddressInfo).port;
		await new Promise((r) => probe.close(r));
		[deadRedis, liveRedis] = await host.importCredentials([
			{ name: 'Dead Redis', type: 'resilienceRedisApi', data: { host: '127.0.0.1', port: closedPort, database: 0 } },
			{ name: 'Redis', type: 'resilienceRedisApi', data: { host: '127.0.0.1', port: 6379, database: 0, keyPrefix: prefix } },
		]);
	});
	after(async () => {
		await host?.cleanup();
		server?.close();
		const redis = new Redis({ host: '127.0.0.1', port: 6379 });
		const left = await redis.keys(`${prefix}:*`).catch(() => [] as string[]);
		if (left.length) await redis.del(...left);
		redis.disconnect();
	});

	async function exec(id: string): Promise<{ r: ExecResult; hits: Record<string, number> }> {
		const before = { ...hits };
		const r = await host.execute(id);
		assert.ok(r.ok, describeRun(r));
		const delta = Object.fromEntries(Object.entries(hits).map(([k, v]) => [k, v - (before[k] ?? 0)]).filter(([, v]) => v !== 0));
		return { r, hits: delta };
	}
	const count = (r: ExecResult, node: string, out = 0) => outItems(r, node, out).length;

	it('the example: run 1 fails enrollment for two leads; run 2 sends only those two enrollments', async () => {
		const wf = JSON.parse(readFileSync(join(repoDir, 'examples', 'idempotent-lead-steps.json'), 'utf8').replaceAll('http://127.0.0.1:4010', base));
		for (const n of wf.nodes) if (n.type.endsWith('.idempotencyGuard')) n.type = guard;
		const id = await host.importWorkflow(wf);
		failEnroll.add('c-lead2@example.com').add('c-lead4@example.com');

		const first = await exec(id);
		console.log(`example run 1: requests ${JSON.stringify(first.hits)}; enrolled ${count(first.r, 'Enrolled')}, failed ${count(first.r, 'Failed: enrollment')}`);
		assert.deepEqual(first.hits, { '/enrich': 4, '/crm/contacts': 4, '/sequences/enroll': 4 });
		assert.equal(count(first.r, 'Claim enrichment', 0), 4);
		const released = outItems(first.r, 'Release enrollment', 0);
		assertPaired(released, 2);
		assert.deepEqual(released.map((i) => i.json.idempotency.status), ['released', 'released']);
		assert.deepEqual(outItems(first.r, 'Complete CRM upsert', 0).map((i) => i.json.idempotency.result), ['1', '2', '3', '4'].map((n) => ({ id: `c-lead${n}@example.com` })));
		assert.equal(count(first.r, 'Enrolled'), 2);
		assert.ok(keys.slice(-4).every((k) => /^enroll:[0-9a-f]{64}$/.test(k)), `claim key sent as Idempotency-Key: ${keys.slice(-4).join(' ')}`);

		failEnroll.clear();
		const second = await exec(id);
		console.log(`example run 2: requests ${JSON.stringify(second.hits)}; duplicates per step ${['Claim enrichment', 'Claim CRM upsert', 'Claim enrollment'].map((n) => count(second.r, n, 1)).join('/')}`);
		assert.deepEqual(second.hits, { '/sequences/enroll': 2 }, 'completed steps answered from the ledger');
		const dupCrm = outItems(second.r, 'Claim CRM upsert', 1);
		assertPaired(dupCrm, 4);
		for (const i of dupCrm) {
			assert.equal(i.json.idempotency.status, 'duplicate');
			assert.match(i.json.idempotency.result.id, /^c-lead\d@example\.com$/);
			assert.ok(Date.parse(i.json.idempotency.firstDoneAt) <= Date.parse(i.json.idempotency.completedAt));
		}
		assert.equal(count(second.r, 'Claim enrollment', 0), 2, 'the failed step is New again');
		assert.equal(count(second.r, 'Claim enrollment', 1), 2);
		assert.equal(outItems(second.r, 'Claim enrollment', 0)[0].json.idempotency.attempt, 2, 'second attempt of that key');
		assert.equal(count(second.r, 'Enrolled'), 4);

		const third = await exec(id);
		assert.deepEqual(third.hits, {}, 'run 3: nothing left to send');
		assert.equal(count(third.r, 'Enrolled'), 4);
	});

	const items = (rows: unknown[]) => ({ name: 'Items', type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode: `return ${JSON.stringify(rows)}.map((json) => ({ json }));` } });

	it('same key twice in one batch: one New, the other held; fingerprint mismatch is a conflict; check reads', async () => {
		const rows = [{ id: 'a', amount: 1 }, { id: 'a', amount: 1 }, { id: 'b', amount: 2 }];
		const claim = { name: 'Claim', type: guard, parameters: { operation: 'claim', key: '={{ $json.id }}', claimOptions: { fingerprintFields: 'amount' } } };
		const fromClaim = { claimKey: "={{ $('Claim').item.json.idempotency.key }}", claimOwner: "={{ $('Claim').item.json.idempotency.owner }}" };
		const wf1 = buildWorkflow('guard: batch', [
			items(rows),
			claim,
			{ name: 'Complete', type: guard, parameters: { operation: 'complete', storeAs: 'fields', resultFields: 'amount' } },
			{ name: 'Complete Again', type: guard, parameters: { operation: 'complete', storeAs: 'fields', resultFields: 'amount', ...fromClaim } },
			{ name: 'Release Late', type: guard, parameters: { operation: 'release', ...fromClaim } },
		]);
		const r1 = (await exec(await host.importWorkflow(wf1, {}))).r;
		assertPaired(outItems(r1, 'Claim', 0), 2);
		const held = outItems(r1, 'Claim', 2);
		assertPaired(held, 1);
		assert.equal(held[0].pairedItem?.item, 1);
		assert.deepEqual([held[0].json.idempotency.status, held[0].json.idempotency.sameBatchAs], ['in-progress', 0]);
		assert.deepEqual(outItems(r1, 'Complete', 0).map((i) => i.json.idempotency.status), ['completed', 'completed']);
		assert.deepEqual(outItems(r1, 'Complete Again', 0).map((i) => i.json.idempotency.alreadyCompleted), [true, true], 'the same owner completing twice gets the first answer');
		const late = outItems(r1, 'Release Late', 0);
		assertPaired(late, 2);
		assert.deepEqual(late.map((i) => [i.json.idempotency.status, i.json.idempotency.reason]), [['rejected', 'already-completed'], ['rejected', 'already-completed']]);
		assert.match(late[0].json.idempotency.warning, /Not released: the key is already completed/);
		assert.equal(outItems(r1, 'Claim', 0)[0].json.idempotency.store.backend, 'embedded');

		// Two workflows sharing a named global scope on Redis: the same key with another amount is a conflict, not a duplicate.
		const cred = { resilienceRedisApi: { id: liveRedis, name: 'Redis' } };
		const scoped = (p: Record<string, unknown>) => ({ ...p, stateScope: 'global', stateNamespace: 'e2e-orders', stateBackend: 'redis' });
		const wf2 = buildWorkflow('guard: global scope', [
			items([{ id: 'x', amount: 1 }]),
			{ name: 'Claim', type: guard, parameters: scoped({ operation: 'claim', key: '={{ $json.id }}', claimOptions: { fingerprintFields: 'amount' } }), credentials: cred },
			{ name: 'Complete', type: guard, parameters: scoped({ operation: 'complete' }), credentials: cred },
		]);
		await exec(await host.importWorkflow(wf2));
		const wf3 = buildWorkflow(
			'guard: conflict',
			[
				items([{ id: 'x', amount: 1 }, { id: 'x', amount: 9 }]),
				{ name: 'Claim', type: guard, parameters: scoped({ operation: 'claim', key: '={{ $json.id }}', claimOptions: { fingerprintFields: 'amount' } }), credentials: cred },
				{ name: 'Check', type: guard, parameters: scoped({ operation: 'check', key: '={{ $json.id }}' }), credentials: cred },
			],
			[['Start', 'Items'], ['Items', 'Claim'], ['Items', 'Check']],
		);
		const r3 = (await exec(await host.importWorkflow(wf3))).r;
		const dup = outItems(r3, 'Claim', 1);
		assertPaired(dup, 1);
		assert.deepEqual(dup[0].json.idempotency.result, { id: 'x', amount: 1 });
		assert.equal(dup[0].json.idempotency.store.namespace, 'global:e2e-orders');
		const conflict = outItems(r3, 'Claim', 2);
		assertPaired(conflict, 1);
		assert.equal(conflict[0].json.idempotency.status, 'conflict');
		assert.equal(conflict[0].pairedItem?.item, 1);
		const checked = outItems(r3, 'Check', 0);
		assert.deepEqual(checked.map((i) => i.json.idempotency.status), ['completed', 'completed']);
		assert.ok(checked.every((i) => !('owner' in i.json.idempotency)), 'check does not hand out the owner token');
	});

	it('a bad key stops the node naming the parameter and item; continue-on-fail routes it visibly instead', async () => {
		const rows = [{ id: 'k1' }, { other: 1 }];
		const stop = buildWorkflow('guard: bad key', [items(rows), { name: 'Claim', type: guard, parameters: { operation: 'claim', key: '={{ $json.id }}' } }]);
		const r = await host.execute(await host.importWorkflow(stop));
		assert.equal(r.ok, false);
		assert.match(JSON.stringify(r.error ?? r.stdout), /Parameter \\?"key\\?" \(item 1\): The key is empty for this item/);

		const cont = buildWorkflow('guard: bad key continue', [
			items(rows),
			{ name: 'Claim', type: guard, parameters: { operation: 'claim', keyMode: 'fields', keyFields: 'id', keyPrefix: 'p' }, extra: { onError: 'continueRegularOutput' } },
		]);
		const r2 = (await exec(await host.importWorkflow(cont))).r;
		assert.equal(count(r2, 'Claim', 0), 1);
		const failed = outItems(r2, 'Claim', 2);
		assert.equal(failed.length, 1);
		assert.equal(failed[0].pairedItem?.item, 1);
		assert.match(String(failed[0].json.error), /Parameter "keyFields" \(item 1\): Cannot derive an idempotency key: the item has no value for "id"/);
	});

	it('crash: a claim whose execution died is held until its lease ends, then taken over; the side effect happens once', async () => {
		// The side effect's node stops the execution before Complete or Release: the claim is left behind, as after a crash.
		// Redis: a process that dies takes embedded memory with it, so only a shared ledger can hold a crashed claim.
		// A 30 s lease outlasts one `n8n execute` start-up, so the run right after the crash still finds it held.
		const cred = { resilienceRedisApi: { id: liveRedis, name: 'Redis' } };
		const wf = buildWorkflow('guard: crash', [
			items([{ id: 'crash-1' }]),
			{ name: 'Claim', type: guard, parameters: { operation: 'claim', key: '={{ $json.id }}', claimOptions: { leaseMinutes: 0.5 }, stateBackend: 'redis' }, credentials: cred },
			{
				name: 'Side Effect',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				parameters: { method: 'POST', url: `${base}/effect`, sendBody: true, specifyBody: 'json', jsonBody: '={{ JSON.stringify({ id: $json.id }) }}', options: {} },
			},
			{
				name: 'Complete',
				type: guard,
				parameters: { operation: 'complete', claimKey: "={{ $('Claim').item.json.idempotency.key }}", claimOwner: "={{ $('Claim').item.json.idempotency.owner }}", stateBackend: 'redis' },
				credentials: cred,
			},
		]);
		const id = await host.importWorkflow(wf);
		crash = true;
		const crashed = await host.execute(id);
		crash = false;
		assert.equal(crashed.ok, false, 'the side effect failed and stopped the execution');
		assert.equal(hits['/effect'], 1);
		const soon = await exec(id);
		assert.deepEqual(soon.hits, {}, 'within the lease: no second side effect');
		assert.equal(outItems(soon.r, 'Claim', 2)[0].json.idempotency.status, 'in-progress');
		const until = Date.parse(outItems(soon.r, 'Claim', 2)[0].json.idempotency.leaseExpiresAt);
		if (until > Date.now()) await new Promise((r) => setTimeout(r, until - Date.now() + 200));
		const later = await exec(id);
		assert.deepEqual(later.hits, { '/effect': 1 });
		const taken = outItems(later.r, 'Claim', 0)[0].json.idempotency;
		assert.equal(taken.attempt, 2);
		assert.match(String(taken.tookOver?.note), /./, 'says it took over an expired claim');
		const again = await exec(id);
		assert.deepEqual(again.hits, {}, 'completed: answered from the ledger');
		assert.equal(outItems(again.r, 'Claim', 1).length, 1);
	});

	it('Redis unreachable: "fail" fails the items clearly, "fallback" claims on embedded state and says so', async () => {
		const cred = { resilienceRedisApi: { id: deadRedis, name: 'Dead Redis' } };
		const wf = buildWorkflow(
			'guard: redis unreachable',
			[
				items([{ id: 'r1' }, { id: 'r2' }]),
				{ name: 'Fail', type: guard, parameters: { operation: 'claim', key: '={{ $json.id }}', stateBackend: 'redis' }, credentials: cred, extra: { onError: 'continueRegularOutput' } },
				{ name: 'Fallback', type: guard, parameters: { operation: 'claim', key: '={{ $json.id }}', stateBackend: 'redis', onStoreUnreachable: 'fallback' }, credentials: cred },
			],
			[['Start', 'Items'], ['Items', 'Fail'], ['Items', 'Fallback']],
		);
		const r = (await exec(await host.importWorkflow(wf))).r;
		const failed = outItems(r, 'Fail', 2);
		assert.equal(failed.length, 2);
		for (const i of failed) assert.match(String(i.json.error), /idempotency ledger in Redis \(127\.0\.0\.1:\d+\) is unreachable.*Fall Back to Embedded/);
		const ok = outItems(r, 'Fallback', 0);
		assertPaired(ok, 2);
		for (const i of ok) {
			assert.equal(i.json.idempotency.store.fellBack, true);
			assert.match(i.json.idempotency.store.warning, /unreachable.*embedded state/);
		}
	});
});
