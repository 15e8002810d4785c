// Resilient HTTP with the guard, end to end on loopback: the real executor, axios, a real server, a real ledger.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAxiosSend, createClassifier, executeWithRetry, getPreset, realClock, realSleep, resolvePolicy } from '../../src';
import { EmbeddedIdempotencyLedger, executeGuarded, deriveKey, fingerprint, type IdempotencyLedger } from '../../src/idempotency';
import { createEmbeddedCache } from '../../src/store';

/** Plays a CRM: honours Idempotency-Key (one contact per key), can commit then reset the socket, or answer a 409/400. */
function crmMock() {
	const seen: Array<{ key?: string; body: string }> = [];
	const created = new Map<string, string>();
	let plan: Array<'commit-then-reset' | '201' | '409' | '400' | 'slow-201'> = [];
	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (c) => (body += c)).on('end', () => {
			const key = req.headers['idempotency-key'] as string | undefined;
			seen.push({ key, body });
			const step = plan.shift() ?? '201';
			const id = created.get(key ?? body) ?? `C${created.size + 1}`;
			if (step === '400') return res.writeHead(400, { 'Content-Type': 'application/json' }).end('{"message":"Property values were not valid"}');
			if (step === '409') return res.writeHead(409, { 'Content-Type': 'application/json' }).end('{"message":"Contact already exists. Existing ID: 37765128953"}');
			created.set(key ?? body, id);
			if (step === 'commit-then-reset') return req.socket.resetAndDestroy();
			const send = () => res.writeHead(201, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id, token: 'secret-token-1' }));
			if (step === 'slow-201') setTimeout(send, 300);
			else send();
		});
	});
	return { server, seen, created, setPlan: (p: typeof plan) => (plan = p) };
}

describe('executeGuarded: Resilient HTTP requests guarded by the ledger', () => {
	const mock = crmMock();
	let url = '';
	before(async () => {
		await new Promise<void>((r) => mock.server.listen(0, '127.0.0.1', r));
		url = `http://127.0.0.1:${(mock.server.address() as AddressInfo).port}/crm/v3/objects/contacts`;
	});
	after(() => mock.server.close());

	function post(ledger: IdempotencyLedger, owner: string, payload: Record<string, unknown>, preset = 'generic') {
		const p = getPreset(preset);
		const policy = resolvePolicy(p, { jitter: 'none', baseDelayMs: 50 });
		return executeGuarded({
			ledger,
			owner,
			key: deriveKey(payload, ['email'], { prefix: 'create-contact' }),
			fingerprint: fingerprint(payload),
			run: (idempotencyKey) =>
				executeWithRetry({
					request: { method: 'POST', url, idempotencyKey },
					policy,
					classify: createClassifier({ preset: p, policy }),
					send: createAxiosSend({ method: 'POST', url, body: payload, idempotencyKey, timeoutMs: 2000 }),
					clock: realClock,
					sleep: realSleep,
					random: Math.random,
				}),
		});
	}
	const fresh = () => new EmbeddedIdempotencyLedger({ cache: createEmbeddedCache(100), namespace: 'wf:http' });

	it('a POST whose response was lost is retried with the same key, stored, and never sent again on a rerun', async () => {
		const ledger = fresh();
		mock.seen.length = 0;
		mock.setPlan(['commit-then-reset', '201']);
		const first = await post(ledger, 'exec-1:0', { email: 'ada@example.com', name: 'Ada' });
		assert.ok(first.status === 'executed' && first.result.outcome === 'success' && first.action === 'complete');
		assert.equal(mock.seen.length, 2);
		assert.equal(new Set(mock.seen.map((s) => s.key)).size, 1, 'the same Idempotency-Key on both attempts');
		const rerun = await post(ledger, 'exec-2:0', { name: 'Ada', email: 'ada@example.com' });
		assert.ok(rerun.status === 'duplicate');
		assert.deepEqual(rerun.result, { outcome: 'success', status: 201, body: { id: 'C1', token: '[redacted]' } }, 'stored without secrets');
		assert.equal(mock.seen.length, 2, 'no request on the rerun');
		const changed = await post(ledger, 'exec-3:0', { email: 'ada@example.com', name: 'Ada L.' });
		assert.equal(changed.status, 'conflict', 'same key, other payload: reported, not served');
	});

	it('a permanent failure releases the key: the corrected rerun is sent', async () => {
		const ledger = fresh();
		mock.seen.length = 0;
		mock.setPlan(['400', '201']);
		const bad = await post(ledger, 'exec-1:0', { email: 'bob@example.com', name: '' });
		assert.ok(bad.status === 'executed' && bad.result.outcome === 'failed-permanent' && bad.action === 'release');
		const fixed = await post(ledger, 'exec-2:0', { email: 'bob@example.com', name: 'Bob' });
		assert.ok(fixed.status === 'executed' && fixed.result.outcome === 'success' && fixed.attempt === 2);
		assert.equal(mock.seen.length, 2);
	});

	it("HubSpot's 409 is stored as resolved with the existing id", async () => {
		const ledger = fresh();
		mock.setPlan(['409']);
		const r = await post(ledger, 'exec-1:0', { email: 'cy@example.com' }, 'hubspot');
		assert.ok(r.status === 'executed' && r.result.outcome === 'conflict' && r.action === 'complete');
		const again = await post(ledger, 'exec-2:0', { email: 'cy@example.com' }, 'hubspot');
		assert.ok(again.status === 'duplicate');
		assert.deepEqual((again.result as { extract: unknown }).extract, { existingId: '37765128953' });
	});

	it('two executions with the same item at once: one request, the other sees it in progress', async () => {
		const ledger = fresh();
		mock.seen.length = 0;
		mock.setPlan(['slow-201']);
		const [a, b] = await Promise.all([post(ledger, 'exec-1:0', { email: 'di@example.com' }), post(ledger, 'exec-2:0', { email: 'di@example.com' })]);
		assert.deepEqual([a.status, b.status].sort(), ['executed', 'in-progress']);
		assert.equal(mock.seen.length, 1);
	});
});
