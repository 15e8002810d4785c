// Real n8n runs examples/dead-letter-replay.json as shipped (URL and credentials swapped for the mock's): the import
// dead-letters 5 of 7 records to PostgreSQL; the scheduled replay delivers the transient ones once, re-using each record's
// first Idempotency-Key, and never resends the bad ones, which the daily step discards once a week old.
// examples/dead-letter-alert.json imports cleanly.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { describeRun, repoDir, startHost, type ExecResult, type Host } from './harness/host';
import { assertPaired, outItems } from './oauth-mock/helpers';
import { PERMANENT, RECORDS, SECRETS, TRANSIENT, assertNoSecrets, startCrm, tally, type Crm } from './deadletter/fixtures';

const PG = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' };
type Wf = { name: string; nodes: { name: string; type: string; typeVersion: number; parameters: Record<string, any> }[]; connections: Record<string, unknown> };

describe('the dead-letter examples in real n8n', { timeout: 15 * 60_000 }, () => {
	let host: Host;
	let crm: Crm;
	const schema = `e2e_dlqx_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
	const pool = new Pool({ ...PG, max: 2 });
	let ids = { pg: '', crm: '' };

	before(async () => {
		crm = await startCrm();
		host = await startHost();
		const [crmCred, pgCred] = await host.importCredentials([
			{ name: 'CRM API token', type: 'httpBearerAuth', data: { token: SECRETS.bearer } },
			{ name: 'Dead letters (PostgreSQL)', type: 'resiliencePostgresApi', data: { ...PG, password: '', ssl: 'disable', schema } },
		]);
		ids = { pg: pgCred, crm: crmCred };
	});

	after(async () => {
		await host?.cleanup();
		await crm?.close();
		await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
		await pool.end();
	});

	/** The example as a user imports it, pointed at the mock: only URL, credential ids, the sample leads and the retry pace change. */
	function example(file: string): Wf {
		const text = readFileSync(join(repoDir, 'examples', file), 'utf8')
			.replaceAll('https://api.example.com/crm', crm.base)
			.replaceAll('REPLACE_ME_PG', ids.pg)
			.replaceAll('REPLACE_ME_CRM', ids.crm);
		const wf = JSON.parse(text) as Wf;
		for (const n of wf.nodes) {
			if (n.name === 'Leads') n.parameters.jsCode = `return ${JSON.stringify(RECORDS)}.map((id) => ({ json: { id, email: id + '@example.com', firstName: 'X' } }));`;
			if (n.type.endsWith('.resilientHttp')) n.parameters.options = { ...n.parameters.options, maxAttempts: 2, baseDelayMs: 50, maxDelayMs: 100 };
		}
		return wf;
	}

	/** One trigger's part on its own, started by hand instead of on its schedule (`n8n execute` starts at a manual trigger). */
	function part(wf: Wf, trigger: string): Wf {
		const keep = new Set([trigger]);
		const links = wf.connections as Record<string, { main: { node: string }[][] }>;
		// A Set's iteration also visits what is added during it: every node downstream of the trigger.
		for (const from of keep) for (const out of links[from]?.main ?? []) for (const l of out) keep.add(l.node);
		const nodes = structuredClone(wf.nodes.filter((n) => keep.has(n.name)));
		Object.assign(nodes.find((n) => n.name === trigger)!, { type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} });
		const connections = Object.fromEntries(Object.entries(wf.connections).filter(([from]) => keep.has(from)));
		return { ...wf, name: `${wf.name} (${trigger}, by hand)`, nodes, connections };
	}

	const exec = async (id: string): Promise<ExecResult> => {
		const r = await host.execute(id);
		assert.ok(r.ok, describeRun(r));
		assertNoSecrets(JSON.stringify(r.runData), 'the run\'s output items');
		return r;
	};
	const rows = async () => (await pool.query(`SELECT id, status, replay_count, attempt_count, note, origin FROM "${schema}".dead_letter_queue ORDER BY id`)).rows;

	it('import, then the replays: transient records delivered once with their first key, permanent ones never resent, discarded by the daily step once a week old', async () => {
		const wf = example('dead-letter-replay.json');
		const imported = await exec(await host.importWorkflow(wf));
		assertPaired(outItems(imported, 'Upsert Contact', 0), 2);
		const failed = outItems(imported, 'Upsert Contact', 1);
		assertPaired(failed, 5);
		assert.ok(failed.every((f) => f.json.resilience.deadLetter.stored === true));
		assert.equal((await rows()).length, 5);
		const importHits = new Map(PERMANENT.map((id) => [id, crm.hits.get(id)]));

		crm.faulty = false;
		const replayId = await host.importWorkflow(part(wf, 'Every 15 Minutes'));
		const log: string[] = [];
		for (let run = 1; run <= 2; run++) {
			const r = await exec(replayId);
			const took = outItems(r, 'Replay', 0);
			log.push(`replay ${run}: took ${took.length}, resolved ${outItems(r, 'Resolve', 0).length}; rows ${JSON.stringify(tally(await rows(), (x) => x.status))}`);
			if (run === 1) {
				assert.deepEqual(took.map((x) => x.json.id).sort(), TRANSIENT, 'the default classes: only the transient ones');
				assertPaired(outItems(r, 'Resolve', 0), 3);
			} else assert.equal(took.length, 0, 'nothing left a resend can fix');
		}
		for (const id of PERMANENT) assert.equal(crm.hits.get(id), importHits.get(id), `${id} was never resent`);

		const daily = part(wf, 'Every Day');
		const asShipped = await exec(await host.importWorkflow(daily));
		assert.deepEqual(outItems(asShipped, 'Discard Permanent After 7 Days', 0)[0].json.deadLetter.changed, [], 'minutes old: kept for a human');
		// A week later, as far as the filter is concerned.
		daily.nodes.find((n) => n.name === 'Discard Permanent After 7 Days')!.parameters.olderThanMinutes = 0;
		const weekLater = await exec(await host.importWorkflow({ ...daily, name: `${daily.name}, a week later` }));
		assert.equal(outItems(weekLater, 'Discard Permanent After 7 Days', 0)[0].json.deadLetter.count, 2);
		log.push(`daily discard: as shipped 0, a week later 2; rows ${JSON.stringify(tally(await rows(), (x) => x.status))}`);
		console.log(log.join('\n'));

		const final = await rows();
		assert.equal(final.length, 5, 'no second entry');
		assert.deepEqual(tally(final, (x) => x.status), { resolved: 3, discarded: 2 });
		for (const row of final.filter((x) => x.status === 'discarded')) assert.deepEqual([row.replay_count, row.attempt_count, row.note], [0, 1, 'permanent for 7 days: fix the record at its source and import it again']);
		for (const id of TRANSIENT) assert.equal(crm.created.get(id), 1, `${id} delivered exactly once`);
		for (const id of PERMANENT) assert.equal(crm.created.get(id), undefined);
		// Every request a record ever made (import attempts and replays) carried one and the same Idempotency-Key.
		for (const id of [...TRANSIENT, ...PERMANENT]) assert.equal(crm.keys.get(id)?.size, 1, `${id}: ${[...(crm.keys.get(id) ?? [])].join(', ')}`);
		const originalKeys = final.map((r) => r.origin.idempotencyKey);
		assert.ok(originalKeys.every((k: string) => typeof k === 'string' && k.length > 0));
	});

	it('the alert example imports into n8n as shipped', async () => {
		const id = await host.importWorkflow(JSON.parse(readFileSync(join(repoDir, 'examples', 'dead-letter-alert.json'), 'utf8').replaceAll('REPLACE_ME_PG', ids.pg)));
		assert.match(id, /\S/);
	});
});
