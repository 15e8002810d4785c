// Step-level use: one key per step of a lead pipeline (enrich → CRM upsert → sequence enrollment), so a rerun of a
// failed lead resumes at the failed step and completed steps answer from their stored results.
import { it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAxiosSend, createClassifier, executeWithRetry, getPreset, realClock, realSleep, resolvePolicy } from '../../src';
import { deriveKey, EmbeddedIdempotencyLedger, executeGuarded, newOwnerToken, type GuardedExecution } from '../../src/idempotency';
import { createEmbeddedCache } from '../../src/store';

const hits: Record<string, number> = {};
let enrollFailsLeft = 1;
const server = http.createServer((req, res) => {
	req.resume().on('end', () => {
		const path = req.url ?? '';
		hits[path] = (hits[path] ?? 0) + 1;
		const json = (status: number, body: unknown) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
		if (path === '/enrich') return json(200, { company: 'Analytical Engines Ltd', employees: 12 });
		if (path === '/crm/upsert') return json(200, { id: 'contact-901' });
		if (enrollFailsLeft-- > 0) return json(400, { message: 'sequence is paused' });
		return json(201, { enrollmentId: 'enr-77' });
	});
});
let base = '';
before(async () => {
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

/** One run of the pipeline for one lead; stops at the first step that does not end in a stored result. */
async function pipeline(ledger: EmbeddedIdempotencyLedger, lead: { email: string }): Promise<GuardedExecution[]> {
	const preset = getPreset('generic');
	const policy = resolvePolicy(preset, { jitter: 'none', baseDelayMs: 20 });
	const owner = newOwnerToken('exec');
	const out: GuardedExecution[] = [];
	for (const step of ['enrich', 'crm/upsert', 'sequences/enroll']) {
		const url = `${base}/${step}`;
		const g = await executeGuarded({
			ledger,
			owner,
			key: deriveKey(lead, ['email'], { prefix: step }),
			run: (idempotencyKey) =>
				executeWithRetry({
					request: { method: 'POST', url, idempotencyKey },
					policy,
					classify: createClassifier({ preset, policy }),
					send: createAxiosSend({ method: 'POST', url, body: lead, idempotencyKey }),
					clock: realClock,
					sleep: realSleep,
					random: Math.random,
				}),
		});
		out.push(g);
		if (g.status === 'executed' && g.action !== 'complete') break;
	}
	return out;
}

it('a rerun of a failed lead resumes at the failed step; completed steps return their stored results', async () => {
	const ledger = new EmbeddedIdempotencyLedger({ cache: createEmbeddedCache(100), namespace: 'wf:leads' });
	const lead = { email: 'ada@example.com' };
	const first = await pipeline(ledger, lead);
	assert.deepEqual(first.map((g) => (g.status === 'executed' ? g.result.outcome : g.status)), ['success', 'success', 'failed-permanent']);
	const rerun = await pipeline(ledger, lead);
	assert.deepEqual(rerun.map((g) => g.status), ['duplicate', 'duplicate', 'executed']);
	assert.deepEqual(rerun[1].status === 'duplicate' && rerun[1].result, { outcome: 'success', status: 200, body: { id: 'contact-901' } });
	assert.ok(rerun[2].status === 'executed' && rerun[2].result.outcome === 'success' && rerun[2].attempt === 2);
	assert.deepEqual(hits, { '/enrich': 1, '/crm/upsert': 1, '/sequences/enroll': 2 });
	const third = await pipeline(ledger, lead);
	assert.deepEqual(third.map((g) => g.status), ['duplicate', 'duplicate', 'duplicate']);
	assert.equal(hits['/sequences/enroll'], 2, 'nothing is sent once every step is done');
});
