// The demo pipeline end to end in a real n8n (DEMO_LEADS leads, default 400): every lead delivered or visible on a
// Failed output per the mock's ledger, nothing created twice, transient faults retried, bad records permanent,
// enrollments that lost their connection left alone (ambiguous) instead of being enrolled twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateLeads, BAD_KINDS } from '../../demo/generate-leads.mjs';
import { seededUnit } from '../../demo/mock-api/faults.mjs';

const repo = resolve(__dirname, '..', '..');
const LEADS = Number(process.env.DEMO_LEADS || 400);
// Where each kind of bad row must be rejected (see demo/generate-leads.mjs).
const EXPECTED_STAGE: Record<string, string> = {
	'invalid-email': 'enrichment',
	'missing-email': 'enrichment',
	'crm-invalid-email': 'crm',
	'excluded-email': 'enrollment',
};
const transientEndings = (endings: Record<string, number>, withResets: boolean) =>
	Object.entries(endings)
		.filter(([k]) => k === '429' || /^5/.test(k) || (withResets && k.startsWith('reset-')))
		.reduce((a, [, v]) => a + v, 0);

test(`demo: ${LEADS} leads through real n8n under the story's faults, reconciled from the mock's ledger`, { timeout: 20 * 60_000 }, () => {
	const dir = mkdtempSync(join(tmpdir(), 'demo-e2e-'));
	const reportFile = join(dir, 'report.json');
	// The story, with enrollment resets frequent enough that a short run surely meets both kinds.
	const story = JSON.parse(readFileSync(join(repo, 'demo', 'mock-api', 'story.json'), 'utf8'));
	Object.assign(story.routes.enroll, { resetBefore: 0.02, resetAfter: 0.02 });
	writeFileSync(join(dir, 'story.json'), JSON.stringify(story));
	try {
		const run = spawnSync(process.execPath, [join(repo, 'demo', 'run.mjs')], {
			cwd: repo,
			env: { ...process.env, DEMO_LEADS: String(LEADS), DEMO_REPORT_FILE: reportFile, DEMO_BUILD: 'if-stale', DEMO_STORY: join(dir, 'story.json') },
			encoding: 'utf8',
			maxBuffer: 64 * 1024 * 1024,
		});
		const out = run.stdout ?? '';
		const lastLine = out.trimEnd().split('\n').at(-1) ?? '';
		assert.equal(run.status, 0, `demo exited ${run.status}\n${out.slice(-4000)}\n${(run.stderr ?? '').slice(-2000)}`);
		assert.match(lastLine, new RegExp(`^leads=${LEADS} delivered=\\d+ failed=\\d+ lost=0 duplicates=0 requests=\\d+ retries=\\d+ wall_s=\\d+$`));

		const report = JSON.parse(readFileSync(reportFile, 'utf8'));
		const s = report.summary;
		const routes = report.ledger.routes;
		assert.equal(report.ok, true, 'n8n reported the execution as successful');
		assert.equal(s.lost, 0);
		assert.equal(s.duplicates, 0);
		assert.deepEqual(report.ledger.duplicates, []);
		assert.equal(s.delivered + s.failed, LEADS);

		// The story's faults really happened, and were retried (the ledger counts repeated calls per lead).
		assert.ok(routes.crm.endings['503'] > 0, 'the CRM answered 503 during the run');
		assert.ok(report.ledger.faults['rate-limit'] > 0, '429 bursts were played');
		assert.ok(report.ledger.faults['reset-before'] > 0 && report.ledger.faults['reset-after'] > 0, 'connections were reset');
		assert.ok(s.retries > 0, 'transient faults were retried');
		// Each transient failure was followed by exactly one more call for that lead, and nothing else was sent twice;
		// a reset enrollment was never sent again (it may have enrolled the prospect already).
		for (const route of ['enrich', 'crm']) assert.equal(routes[route].repeats, transientEndings(routes[route].endings, true), `${route}: ${JSON.stringify(routes[route])}`);
		assert.equal(routes.enroll.repeats, transientEndings(routes.enroll.endings, false), `enroll: ${JSON.stringify(routes.enroll)}`);
		const enrollResets = (routes.enroll.endings['reset-before'] ?? 0) + (routes.enroll.endings['reset-after'] ?? 0);
		assert.ok(enrollResets > 0, 'some enrollments lost their connection');

		// Every bad row is on the Failed output of the stage that rejects it, as permanent and not retried (unless the
		// story also reset its connection somewhere, which the seed decides: then it may be retried or ambiguous).
		const rows: Array<{ lead_id: string; email: string }> = generateLeads(4000).slice(0, LEADS);
		const rate = (route: string, kind: string) => story.routes[route]?.[kind] ?? 0;
		const faulted = (email: string) =>
			!!email &&
			['enrich', 'crm', 'enroll'].some((route) =>
				['resetBefore', 'resetAfter'].some((kind) => seededUnit(story.seed, route, email.toLowerCase(), kind === 'resetBefore' ? 'reset-before' : 'reset-after') < rate(route, kind)),
			);
		const bad = rows.map((r, i) => ({ id: r.lead_id, email: r.email, i: i + 1 })).filter((r) => r.i % 67 === 13);
		assert.ok(bad.length >= BAD_KINDS.length, 'the run includes every kind of bad record');
		bad.forEach((b, k) => {
			const f = report.failed[b.id];
			const kind = BAD_KINDS[k % BAD_KINDS.length];
			assert.ok(f, `${b.id} (${kind}) is on a Failed output`);
			if (faulted(b.email)) return;
			assert.equal(f.stage, EXPECTED_STAGE[kind], `${b.id} (${kind}) failed at ${f.stage}`);
			assert.equal(f.class, 'permanent', `${b.id} (${kind}): ${f.reason}`);
			assert.equal(f.attempts, 1, `${b.id} (${kind}) was not retried`);
		});
		// Each reset enrollment is on Failed as ambiguous after one attempt; no other good lead failed.
		const ambiguous = Object.entries<any>(report.failed).filter(([, f]) => f.stage === 'enrollment' && f.outcome === 'ambiguous');
		assert.equal(ambiguous.length, enrollResets, `ambiguous enrollments vs resets: ${JSON.stringify(ambiguous.slice(0, 3))}`);
		for (const [id, f] of ambiguous) assert.equal(f.attempts, 1, `${id} was not retried`);
		const badIds = new Set<string>(bad.map((b) => b.id));
		const others = Object.entries<any>(report.failed).filter(([id]) => !badIds.has(id));
		for (const [id, f] of others) assert.equal(f.outcome, 'ambiguous', `${id} failed only because its enrollment was reset: ${f.reason}`);
		assert.ok(s.failed >= bad.length && s.failed <= bad.length + enrollResets, `failed ${s.failed}`);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
