// The PostgreSQL mode's checks, from independent sources only: n8n's Failed items against the dead-letter table after
// phase 1, and the mock's ledger against the table after the replay. Pure functions; run.mjs gathers their inputs.
import { isBadRow } from '../generate-leads.mjs';
import { HTTP_NODES } from '../pipeline.mjs';

/** Each stage's dead-letter queue, as examples/lead-pipeline-dead-letters.json names them. */
export const QUEUE_OF_STAGE = { enrichment: 'enrich', crm: 'crm', enrollment: 'enroll' };
export const NODE_OF_STAGE = Object.fromEntries(Object.entries(HTTP_NODES).map(([node, stage]) => [stage, node]));
const ATTEMPTS_KEPT = 50;
const OPEN = new Set(['new', 'requeued']);

/** The CSV's deliberately bad rows (lead-0013, lead-0080, …): every other lead is good and must end delivered. */
export const isBadLead = (leadId) => isBadRow(Number(String(leadId).replace(/^lead-0*/, '')));
const leadOf = (row) => row.origin?.item?.lead_id;

/**
 * Phase 1: every lead on a Failed output has exactly one row, and that row holds its full context: the item, the
 * request, every attempt, the classification, the workflow, execution and node. Returns the problems found (none: ok).
 */
export function checkPhase1({ failed, rows, workflowId, rawTable, secrets }) {
	const problems = [];
	const byId = new Map(rows.map((r) => [r.id, r]));
	const perLead = new Map();
	for (const r of rows) perLead.set(leadOf(r), (perLead.get(leadOf(r)) ?? 0) + 1);
	for (const f of failed) {
		const lead = f.json.lead_id;
		const rep = f.json.resilience ?? {};
		const dl = rep.deadLetter ?? {};
		const row = byId.get(dl.id);
		const say = (what) => problems.push(`${lead} (${f.stage}): ${what}`);
		if (dl.stored !== true || !row) {
			say(`no dead-letter row (${dl.error ?? `id ${dl.id}`})`);
			continue;
		}
		if (perLead.get(lead) !== 1) say(`${perLead.get(lead)} rows instead of one`);
		const expect = {
			queue: QUEUE_OF_STAGE[f.stage],
			status: 'new',
			lead_id: lead,
			class: rep.class,
			outcome: rep.outcome,
			reason: rep.reason,
			attempt_count: rep.attempts?.length,
			attempts_kept: Math.min(ATTEMPTS_KEPT, rep.attempts?.length ?? 0),
			workflow_id: workflowId,
			node: NODE_OF_STAGE[f.stage],
			method: 'POST',
		};
		const got = {
			queue: row.queue,
			status: row.status,
			lead_id: leadOf(row),
			class: row.class,
			outcome: row.latest?.classification?.outcome,
			reason: row.reason,
			attempt_count: row.attempt_count,
			attempts_kept: row.attempts?.length,
			workflow_id: row.workflow_id,
			node: row.node,
			method: row.latest?.request?.method,
		};
		for (const k of Object.keys(expect)) if (expect[k] !== got[k]) say(`${k} is ${JSON.stringify(got[k])}, expected ${JSON.stringify(expect[k])}`);
		if (!/^https?:\/\//.test(row.latest?.request?.url ?? '')) say('the row has no request URL');
		if (!row.latest?.request?.headers || typeof row.latest.request.headers !== 'object') say('the row has no request headers');
		if (!/^\d+$/.test(String(row.execution_id))) say(`execution_id ${row.execution_id}`);
		if (!Number.isInteger(row.item_index) || row.item_index < 0) say(`item_index ${row.item_index}`);
		if ((row.attempts ?? []).some((a) => !a.startedAt || (a.status === undefined && !a.errorCode))) say('an attempt without its time or result');
	}
	const failedIds = new Set(failed.map((f) => f.json.resilience?.deadLetter?.id));
	const extra = rows.filter((r) => !failedIds.has(r.id));
	if (extra.length) problems.push(`${extra.length} row(s) for no Failed item, e.g. ${extra[0].id} (${leadOf(extra[0])})`);
	for (const [name, s] of Object.entries(secrets)) if (rawTable.includes(s)) problems.push(`the ${name} secret is in the dead-letter table`);
	return problems;
}

/** Rows per queue · class (the class after phase 1), with their statuses and replays after phase 2. */
export function rowsByQueueClass(rows1, rows2) {
	const after = new Map(rows2.map((r) => [r.id, r]));
	const out = {};
	for (const r of rows1) {
		const k = `${r.queue} · ${r.class}`;
		const t = (out[k] ??= { rows: 0, replayed: 0, resolved: 0, open: 0, discarded: 0, example: `${leadOf(r)}: ${r.reason}` });
		const a = after.get(r.id) ?? r;
		t.rows++;
		if (a.replay_count > 0) t.replayed++;
		if (a.status === 'resolved') t.resolved++;
		if (OPEN.has(a.status)) t.open++;
		if (a.status === 'discarded') t.discarded++;
	}
	return out;
}

/**
 * After the replay: every good lead delivered exactly once (per the ledger), every other lead an open or discarded
 * row; lost = neither, resolvedUndelivered = a row closed as delivered for a lead the ledger never enrolled.
 */
export function reconcileReplay({ leads, ledger, rows }) {
	const rowOf = new Map();
	for (const r of rows) rowOf.set(leadOf(r), [...(rowOf.get(leadOf(r)) ?? []), r]);
	const res = { delivered: [], failed: [], lost: [], undeliveredGood: [], twiceEnrolled: [], resolvedUndelivered: [], secondRow: [] };
	for (const lead of leads) {
		const enrolled = lead.email ? (ledger.leads[lead.email.toLowerCase()]?.enrollments ?? 0) : 0;
		const mine = rowOf.get(lead.lead_id) ?? [];
		if (mine.length > 1) res.secondRow.push(lead.lead_id);
		if (enrolled > 1) res.twiceEnrolled.push(lead.lead_id);
		if (enrolled > 0) res.delivered.push(lead.lead_id);
		else if (mine.some((r) => OPEN.has(r.status) || r.status === 'discarded')) res.failed.push(lead.lead_id);
		else res.lost.push(lead.lead_id);
		if (!enrolled && mine.some((r) => r.status === 'resolved')) res.resolvedUndelivered.push(lead.lead_id);
		if (!enrolled && !isBadLead(lead.lead_id)) res.undeliveredGood.push(lead.lead_id);
	}
	const count = (p) => rows.filter(p).length;
	const figures = {
		dead_letters: rows.length,
		replayed: count((r) => r.replay_count > 0),
		resolved: count((r) => r.status === 'resolved'),
		open: count((r) => OPEN.has(r.status)),
		discarded: count((r) => r.status === 'discarded'),
	};
	return { ...res, figures };
}

/** What the mock saw between two ledger snapshots, per route: requests and how they ended. */
export function routeDelta(before, after) {
	const out = {};
	for (const [route, r] of Object.entries(after.routes ?? {})) {
		const b = before.routes?.[route] ?? { total: 0, endings: {} };
		const endings = {};
		for (const [k, v] of Object.entries(r.endings)) if (v - (b.endings[k] ?? 0) > 0) endings[k] = v - (b.endings[k] ?? 0);
		if (r.total - b.total > 0) out[route] = { total: r.total - b.total, endings };
	}
	return out;
}
