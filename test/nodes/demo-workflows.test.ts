// The PostgreSQL demo's two workflows stay in step with the pipeline they extend: the dead-letter variant is
// lead-pipeline.json plus dead-lettering (and shorter CRM retries), and the replay resends each stage exactly as the
// pipeline sends it, takes only what a resend can fix, and looks ambiguous enrollments up before enrolling.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

type Node = { name: string; type: string; position: number[]; parameters: Record<string, any>; credentials?: Record<string, unknown> };
type Wf = { nodes: Node[]; connections: Record<string, { main: { node: string }[][] }> };
const load = (f: string) => JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', f), 'utf8')) as Wf;
const base = load('lead-pipeline.json');
const variant = load('lead-pipeline-dead-letters.json');
const replay = load('lead-pipeline-replay.json');
const isHttp = (n: Node) => n.type.endsWith('.resilientHttp');
const QUEUES: Record<string, string> = { 'Enrich (Apollo)': 'enrich', 'Upsert contact (HubSpot)': 'crm', 'Enroll in sequence (Outreach)': 'enroll' };

/** A Resilient HTTP node's request as the pipeline sends it: no dead-letter settings, no credential choice. */
function request(n: Node) {
	const p = structuredClone(n.parameters);
	for (const k of ['authentication', 'deadLetter', 'deadLetterBackend', 'deadLetterQueue']) delete p[k];
	return p;
}

describe('examples/lead-pipeline-dead-letters.json', () => {
	it('is lead-pipeline.json node for node and link for link', () => {
		assert.deepEqual(variant.nodes.map((n) => [n.name, n.type, n.position]), base.nodes.map((n) => [n.name, n.type, n.position]));
		assert.deepEqual(variant.connections, base.connections);
		const before = new Map(base.nodes.map((n) => [n.name, n]));
		for (const n of variant.nodes.filter((x) => !isHttp(x))) assert.deepEqual(n.parameters, before.get(n.name)!.parameters, n.name);
	});
	it('each stage dead-letters to PostgreSQL in its own queue, with a credential; only the CRM retries less', () => {
		const before = new Map(base.nodes.map((n) => [n.name, n]));
		for (const n of variant.nodes.filter(isHttp)) {
			assert.deepEqual([n.parameters.deadLetter, n.parameters.deadLetterBackend, n.parameters.deadLetterQueue], [true, 'postgres', QUEUES[n.name]], n.name);
			assert.ok(n.credentials?.resiliencePostgresApi && n.credentials[n.parameters.authentication], `${n.name} names its credentials`);
			const want = request(before.get(n.name)!);
			if (QUEUES[n.name] === 'crm') Object.assign(want.options, { maxAttempts: 4, maxRetryWindowMs: 12000 });
			assert.deepEqual(request(n), want, n.name);
		}
		// The story needs the outage (8 s) to outlast the CRM's retries: 4 attempts, at most 1 + 2 + 4 s of backoff.
		const crm = variant.nodes.find((n) => QUEUES[n.name] === 'crm')!.parameters.options;
		assert.ok(crm.baseDelayMs * (1 + 2 + 4) < 8000 && crm.maxRetryWindowMs >= 10_000, 'and the window still fits HubSpot\'s 10 s rate-limit wait');
	});
});

describe('examples/lead-pipeline-replay.json', () => {
	const byName = new Map(replay.nodes.map((n) => [n.name, n]));
	const next = (name: string, out = 0) => (replay.connections[name]?.main[out] ?? []).map((l) => l.node);
	const stage = new Map(variant.nodes.filter(isHttp).map((n) => [JSON.stringify(n.parameters), n.name]));
	it('resends each stage exactly as the pipeline does (same request, same dead-letter queue and credentials)', () => {
		const http = replay.nodes.filter(isHttp).filter((n) => n.parameters.method === 'POST');
		assert.equal(http.length, 7, 'enrich branch 3, CRM 2, enroll 1, after the lookup 1');
		for (const n of http) assert.ok(stage.has(JSON.stringify(n.parameters)), `${n.name} differs from every pipeline stage`);
	});
	it('per queue: Replay (what a resend can fix) → the remaining stages → Resolve; the ambiguous ones are looked up first', () => {
		const replays = replay.nodes.filter((n) => n.parameters.operation === 'replay');
		assert.deepEqual(replays.map((n) => [n.parameters.queue, n.parameters.replayClasses]), [
			['enrich', ['transient', 'quota-wait', 'refresh-auth']],
			['crm', ['transient', 'quota-wait', 'refresh-auth']],
			['enroll', ['transient', 'quota-wait', 'refresh-auth']],
			['enroll', ['ambiguous']],
		]);
		const chain = (from: string) => {
			const out = [from];
			for (let n = next(from); n.length; n = next(n[0])) out.push(n[0]);
			return out.map((x) => byName.get(x)!);
		};
		const stages = (from: string) => chain(from).filter(isHttp).map((n) => stage.get(JSON.stringify(n.parameters)));
		assert.deepEqual(stages('Replay enrich queue'), ['Enrich (Apollo)', 'Upsert contact (HubSpot)', 'Enroll in sequence (Outreach)']);
		assert.deepEqual(stages('Replay CRM queue'), ['Upsert contact (HubSpot)', 'Enroll in sequence (Outreach)']);
		assert.deepEqual(stages('Replay enroll queue'), ['Enroll in sequence (Outreach)']);
		for (const r of ['Replay enrich queue', 'Replay CRM queue', 'Replay enroll queue']) assert.equal(chain(r).at(-1)!.parameters.operation, 'resolve');
		const amb = next('Replay ambiguous enrollments').map((x) => byName.get(x)!);
		assert.deepEqual(amb.map((n) => [n.parameters.method, n.parameters.deadLetter]), [['GET', undefined]], 'a lookup, which writes no dead letter of its own');
		const lookup = amb[0];
		assert.deepEqual(lookup.parameters.queryParameters.parameters.map((p: { name: string }) => p.name), ['filter[prospect][id]', 'filter[sequence][id]']);
		const [found, notFound] = [next('Already enrolled?', 0), next('Already enrolled?', 1)];
		assert.equal(byName.get(found[0])!.parameters.operation, 'resolve', 'found: resolved, nothing sent');
		assert.equal(byName.get(notFound[0])!.parameters.method, 'POST', 'not found: enrolled');
		assert.equal(byName.get(next(notFound[0])[0])!.parameters.operation, 'resolve');
		const back = byName.get(next(next(lookup.name, 1)[0])[0])!;
		assert.deepEqual([back.parameters.operation, back.parameters.writeOptions.class], ['write', 'ambiguous'], 'a failed lookup returns the entry as ambiguous');
	});
	it('discards only what the sequencer excludes by policy, after the other branches ran (lowest on the canvas)', () => {
		const list = byName.get('Permanent failures')!;
		assert.deepEqual([list.parameters.operation, list.parameters.classFilter, list.parameters.queueFilter], ['list', 'permanent', '']);
		assert.ok(replay.nodes.filter((n) => n.parameters.operation === 'replay').every((n) => n.position[1] < list.position[1]));
		assert.match(byName.get('Excluded by the sequencer?')!.parameters.conditions.conditions[0].leftValue, /excluded email address/);
		assert.equal(byName.get('Discard: excluded address')!.parameters.entryId, '={{ $json.id }}');
	});
});
