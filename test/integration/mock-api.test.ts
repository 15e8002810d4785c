// The mock GTM API over real loopback HTTP: vendor-shaped answers, scripted faults, and a ledger that tells the truth.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startMockApi } from '../../demo/mock-api/server.mjs';
import { seededUnit } from '../../demo/mock-api/faults.mjs';
import { reconcile, formatReport } from '../../demo/reconcile.mjs';

type Mock = Awaited<ReturnType<typeof startMockApi>>;
type Reply = { status: number; headers: Headers; text: string; json: any };

async function post(mock: Mock, path: string, body: unknown): Promise<Reply> {
	const r = await fetch(mock.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	const text = await r.text();
	let json: any;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: r.status, headers: r.headers, text, json };
}

const upsert = (email: string, leadId = 'lead-0001') => ({ inputs: [{ idProperty: 'email', id: email, properties: { email, lead_id: leadId, firstname: 'Alex' } }] });
const enrollment = (prospectId: string | number, sequenceId = 42) => ({
	data: { type: 'sequenceState', relationships: { prospect: { data: { type: 'prospect', id: prospectId } }, sequence: { data: { type: 'sequence', id: sequenceId } } } },
});
const ledger = async (mock: Mock) => (await fetch(mock.url + '/__ledger')).json() as Promise<any>;

async function withMock(config: object, fn: (m: Mock) => Promise<void>) {
	const mock = await startMockApi({ port: 0, config });
	try {
		await fn(mock);
	} finally {
		await mock.close();
	}
}

test('contact upsert by email is idempotent: one record, then updates', () =>
	withMock({}, async (m) => {
		const a = await post(m, '/crm/v3/objects/contacts/batch/upsert', upsert('Alex.Example.1@hooli-1.example.com'));
		const b = await post(m, '/crm/v3/objects/contacts/batch/upsert', upsert('alex.example.1@hooli-1.example.com'));
		assert.equal(a.status, 200);
		assert.equal(a.json.status, 'COMPLETE');
		assert.equal(a.json.results[0].new, true);
		assert.equal(b.json.results[0].new, false);
		assert.equal(b.json.results[0].id, a.json.results[0].id);
		assert.equal(a.headers.get('x-hubspot-ratelimit-interval-milliseconds'), '10000');
		const l = await ledger(m);
		assert.equal(l.totals.contactsCreated, 1);
		assert.equal(l.totals.contactsUpdated, 1);
		assert.equal(l.leads['alex.example.1@hooli-1.example.com'].leadId, 'lead-0001');
		assert.equal(l.totals.duplicates, 0);
		assert.equal(l.totals.repeats, 1);
	}));

test('a plain create answers 409 with the existing id instead of creating twice', () =>
	withMock({}, async (m) => {
		const first = await post(m, '/crm/v3/objects/contacts', { properties: { email: 'sam@globex-2.example.org', lead_id: 'lead-0002' } });
		const again = await post(m, '/crm/v3/objects/contacts', { properties: { email: 'sam@globex-2.example.org', lead_id: 'lead-0002' } });
		assert.equal(first.status, 201);
		assert.equal(again.status, 409);
		assert.equal(again.json.category, 'CONFLICT');
		assert.match(again.json.message, new RegExp(`Existing ID: ${first.json.id}$`));
		assert.equal((await ledger(m)).totals.contactsCreated, 1);
	}));

test('sequence enrollment is not idempotent: a repeat is a duplicate in the ledger', () =>
	withMock({}, async (m) => {
		const c = await post(m, '/crm/v3/objects/contacts/batch/upsert', upsert('kai@acme-3.example.net', 'lead-0003'));
		const id = c.json.results[0].id;
		const e1 = await post(m, '/api/v2/sequenceStates', enrollment(id));
		const e2 = await post(m, '/api/v2/sequenceStates', enrollment(id));
		assert.equal(e1.status, 201);
		assert.equal(e1.json.data.type, 'sequenceState');
		assert.equal(e1.headers.get('content-type'), 'application/vnd.api+json');
		assert.notEqual(e2.json.data.id, e1.json.data.id);
		const l = await ledger(m);
		assert.equal(l.totals.enrollments, 2);
		assert.deepEqual(
			l.duplicates.map((d: any) => [d.kind, d.leadId, d.count]),
			[['enrollment', 'lead-0003', 2]],
		);
	}));

test('an enrollment can be looked up (JSON:API filters on prospect and sequence) before enrolling again; lookups are their own route', () =>
	withMock({ routes: { enroll: { resetAfter: 1 } } }, async (m) => {
		const c = await post(m, '/crm/v3/objects/contacts/batch/upsert', upsert('kai@initech-3.example.com', 'lead-0003'));
		const id = c.json.results[0].id;
		// The connection drops after the enrollment is made: the client cannot tell whether it happened.
		await assert.rejects(post(m, '/api/v2/sequenceStates', enrollment(id)));
		const find = async (q: string) => {
			const r = await fetch(`${m.url}/api/v2/sequenceStates?${q}`);
			return { status: r.status, type: r.headers.get('content-type'), json: (await r.json()) as any };
		};
		const found = await find(`filter[prospect][id]=${id}&filter[sequence][id]=42`);
		assert.equal(found.status, 200);
		assert.match(String(found.type), /application\/vnd\.api\+json/);
		assert.equal(found.json.meta.count, 1);
		assert.deepEqual([found.json.data[0].type, found.json.data[0].relationships.prospect.data.id, found.json.data[0].relationships.sequence.data.id], ['sequenceState', Number(id), 42]);
		assert.equal((await find(`filter[prospect][id]=${id}&filter[sequence][id]=43`)).json.meta.count, 0, 'another sequence');
		assert.equal((await find(`filter[prospect][id]=51000999999&filter[sequence][id]=42`)).json.data.length, 0, 'another prospect');
		const bad = await find('filter[prospect][id]=abc');
		assert.equal(bad.status, 400);
		assert.equal(bad.json.errors[0].id, 'invalidFilter');
		const l = await ledger(m);
		assert.deepEqual([l.routes.lookup.total, l.routes.enroll.total, l.totals.enrollments], [4, 1, 1], 'a lookup enrolls nothing and is not an enrollment call');
	}));

test('bad records get the vendor-shaped 400/422 and leave no side effect', () =>
	withMock({ excludedDomains: ['excluded.example.net'] }, async (m) => {
		const missing = await post(m, '/api/v1/people/match', { first_name: 'Alex', email: '' });
		const invalid = await post(m, '/api/v1/people/match', { email: 'alex@@hooli-1.example.com' });
		const crm = await post(m, '/crm/v3/objects/contacts/batch/upsert', upsert('alex..example@hooli-1.example.com'));
		assert.equal(missing.status, 422);
		assert.equal(invalid.status, 422);
		assert.equal(crm.status, 400);
		assert.equal(crm.json.category, 'VALIDATION_ERROR');
		assert.match(crm.json.message, /INVALID_EMAIL/);
		const noProspect = await post(m, '/api/v2/sequenceStates', enrollment(999));
		assert.equal(noProspect.status, 422);
		assert.equal(noProspect.json.errors[0].id, 'validationError');
		const ex = await post(m, '/crm/v3/objects/contacts/batch/upsert', upsert('lee.1@excluded.example.net', 'lead-0009'));
		const exEnroll = await post(m, '/api/v2/sequenceStates', enrollment(ex.json.results[0].id));
		assert.equal(exEnroll.status, 422);
		assert.equal(exEnroll.json.errors[0].detail, 'Contacts contact is using an excluded email address.');
		const l = await ledger(m);
		assert.equal(l.totals.enrichments, 0);
		assert.equal(l.totals.enrollments, 0);
		assert.equal(l.totals.contactsCreated, 1);
	}));

test('the outage window answers 503 (HTML) after N requests for its duration, then recovers', () =>
	withMock({ routes: { crm: { outage: [{ label: '2:47 AM', afterRequests: 2, durationMs: 300 }] } } }, async (m) => {
		const statuses: number[] = [];
		for (let i = 0; i < 4; i++) statuses.push((await post(m, '/crm/v3/objects/contacts/batch/upsert', upsert(`l${i}@x.example.com`, `lead-000${i}`))).status);
		assert.deepEqual(statuses, [200, 200, 503, 503]);
		const down = await post(m, '/crm/v3/objects/contacts/batch/upsert', upsert('late@x.example.com'));
		assert.match(down.headers.get('content-type') ?? '', /text\/html/);
		assert.match(down.text, /Service Temporarily Unavailable/);
		await new Promise((r) => setTimeout(r, 320));
		assert.equal((await post(m, '/crm/v3/objects/contacts/batch/upsert', upsert('l2@x.example.com', 'lead-0002'))).status, 200);
		const l = await ledger(m);
		assert.equal(l.faults.outage, 3);
		assert.equal(l.totals.contactsCreated, 3);
		assert.ok(l.plan.crm.outageWindows[0].startedAt);
	}));

test('429 bursts carry Retry-After, HubSpot rate-limit headers and the TEN_SECONDLY_ROLLING body', () =>
	withMock({ routes: { crm: { rateLimit: { every: 3, burst: 2, retryAfterS: 2 } }, enrich: { rateLimit: { every: 1, burst: 1, retryAfterS: 1 } } } }, async (m) => {
		const rs: Reply[] = [];
		for (let i = 0; i < 6; i++) rs.push(await post(m, '/crm/v3/objects/contacts/batch/upsert', upsert(`r${i}@x.example.com`)));
		assert.deepEqual(rs.map((r) => r.status), [200, 200, 200, 429, 429, 200]);
		const limited = rs[3];
		assert.equal(limited.headers.get('retry-after'), '2');
		assert.equal(limited.headers.get('x-hubspot-ratelimit-remaining'), '0');
		assert.equal(limited.headers.get('x-hubspot-ratelimit-max'), '190');
		assert.equal(limited.json.policyName, 'TEN_SECONDLY_ROLLING');
		assert.equal(limited.json.errorType, 'RATE_LIMIT');
		const a1 = await post(m, '/api/v1/people/match', { email: 'a@x.example.com' });
		const a2 = await post(m, '/api/v1/people/match', { email: 'b@x.example.com' });
		assert.equal(a1.status, 200);
		assert.equal(a2.status, 429);
		assert.equal(a2.headers.get('x-minute-requests-left'), '0');
		assert.equal((await ledger(m)).totals.contactsCreated, 4);
	}));

test('a rolling-window 429 lasts its duration, then the window frees', () =>
	withMock({ routes: { crm: { rateLimit: { every: 2, durationMs: 250, retryAfterS: 1 } } } }, async (m) => {
		const statuses: number[] = [];
		for (let i = 0; i < 5; i++) statuses.push((await post(m, '/crm/v3/objects/contacts/batch/upsert', upsert(`w${i}@x.example.com`))).status);
		assert.deepEqual(statuses, [200, 200, 429, 429, 429]);
		await new Promise((r) => setTimeout(r, 270));
		assert.equal((await post(m, '/crm/v3/objects/contacts/batch/upsert', upsert('w9@x.example.com'))).status, 200);
		assert.equal((await ledger(m)).faults['rate-limit'], 3);
	}));

test('a reset before the side effect leaves nothing; a reset after it leaves the record; retries do not duplicate an upsert', () =>
	withMock({ routes: { crm: { resetBefore: 1 }, enroll: { resetAfter: 1 } } }, async (m) => {
		await assert.rejects(post(m, '/crm/v3/objects/contacts/batch/upsert', upsert('z@x.example.com', 'lead-0042')));
		assert.equal((await ledger(m)).totals.contactsCreated, 0);
		const retry = await post(m, '/crm/v3/objects/contacts/batch/upsert', upsert('z@x.example.com', 'lead-0042'));
		assert.equal(retry.status, 200);
		await assert.rejects(post(m, '/api/v2/sequenceStates', enrollment(retry.json.results[0].id)));
		let l = await ledger(m);
		assert.equal(l.totals.enrollments, 1, 'the enrollment happened although the client saw a reset');
		assert.equal(l.faults['reset-before'], 1);
		assert.equal(l.faults['reset-after'], 1);
		// A blind retry of the non-idempotent enrollment is exactly what creates a duplicate.
		await post(m, '/api/v2/sequenceStates', enrollment(retry.json.results[0].id));
		l = await ledger(m);
		assert.equal(l.totals.duplicates, 1);
	}));

test('slow answers are delayed; faults pick keys deterministically from the seed', () =>
	withMock({ seed: 7, routes: { enrich: { slow: { rate: 1, delayMs: 250 } } } }, async (m) => {
		const t0 = Date.now();
		assert.equal((await post(m, '/api/v1/people/match', { email: 'slow@x.example.com' })).status, 200);
		assert.ok(Date.now() - t0 >= 240, 'first answer delayed');
		const t1 = Date.now();
		await post(m, '/api/v1/people/match', { email: 'slow@x.example.com' });
		assert.ok(Date.now() - t1 < 200, 'a retry is not delayed again');
		assert.equal(seededUnit(7, 'crm', 'a@x'), seededUnit(7, 'crm', 'a@x'));
		assert.notEqual(seededUnit(7, 'crm', 'a@x'), seededUnit(8, 'crm', 'a@x'));
		const picked = Array.from({ length: 1000 }, (_, i) => seededUnit(2026, 'crm', `k${i}`, 'reset-after') < 0.01).filter(Boolean).length;
		assert.ok(picked > 2 && picked < 25, `about 1% of keys picked, got ${picked}`);
	}));

test('POST /__reset empties the ledger and can swap the fault config', () =>
	withMock({}, async (m) => {
		await post(m, '/api/v1/people/match', { email: 'a@x.example.com' });
		const r = await post(m, '/__reset', { routes: { enrich: { rateLimit: { every: 1, burst: 5 } } } });
		assert.equal(r.status, 200);
		const l = await ledger(m);
		assert.equal(l.totals.requests, 0);
		assert.equal(l.totals.enrichments, 0);
		assert.equal((await post(m, '/api/v1/people/match', { email: 'a@x.example.com' })).status, 200);
		assert.equal((await post(m, '/api/v1/people/match', { email: 'b@x.example.com' })).status, 429);
	}));

// A naive client (the Wednesday workflow) against the story's faults: 503s treated like a 400 and dropped.
test('reconciliation finds the leads a naive client silently lost, and none when every failure is kept visible', () =>
	withMock({ routes: { crm: { outage: [{ afterRequests: 5, durationMs: 60_000 }] } } }, async (m) => {
		const leads = Array.from({ length: 12 }, (_, i) => ({ lead_id: `lead-${String(i + 1).padStart(4, '0')}`, email: `p${i}@x.example.com` }));
		leads.push({ lead_id: 'lead-0013', email: 'bad@@x.example.com' });
		const failed: Array<{ stage: string; json: any }> = [];
		for (const lead of leads) {
			const e = await post(m, '/api/v1/people/match', { email: lead.email });
			if (e.status !== 200) {
				failed.push({ stage: 'enrichment', json: { ...lead, resilience: { outcome: 'failed-permanent', class: 'permanent' } } });
				continue;
			}
			const c = await post(m, '/crm/v3/objects/contacts/batch/upsert', upsert(lead.email, lead.lead_id));
			if (c.status !== 200) continue; // the bug of the story: the 503 is dropped
			await post(m, '/api/v2/sequenceStates', enrollment(c.json.results[0].id));
		}
		const l = await ledger(m);
		const r = reconcile({ leads, ledger: l, failed });
		assert.deepEqual(r.summary.delivered, 5);
		assert.deepEqual(r.failed, ['lead-0013']);
		assert.equal(r.summary.lost, 7);
		assert.equal(r.summary.duplicates, 0);
		const report = formatReport(r, l, 1);
		assert.match(report.split('\n').at(-1)!, /^leads=13 delivered=5 failed=1 lost=7 duplicates=0 requests=\d+ retries=0 wall_s=1$/);
		// Keeping the 503s visible on a Failed output accounts for every lead.
		const visible = [...failed, ...r.lost.map((id: string) => ({ stage: 'crm', json: { lead_id: id, resilience: { outcome: 'failed-exhausted', class: 'transient' } } }))];
		assert.equal(reconcile({ leads, ledger: l, failed: visible }).summary.lost, 0);
	}));
