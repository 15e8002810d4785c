// Reconciles every lead from two independent sources: the mock API's ledger (what really happened) and the
// items n8n put on each Failed output. A lead in neither place is lost.

const STAGES = [
	{ route: 'enrich', stage: 'enrichment', label: 'enrichment (Apollo-like)' },
	{ route: 'crm', stage: 'crm', label: 'CRM upsert (HubSpot-like)' },
	{ route: 'enroll', stage: 'enrollment', label: 'enrollment (Outreach-like)' },
];

/** Scales the story's request-count triggers to a smaller lead count, so a short run still meets every fault. */
export function scaleStory(story, leads, full = 4000) {
	const f = leads / full;
	const s = structuredClone(story);
	for (const r of Object.values(s.routes ?? {})) {
		for (const w of [r.outage ?? []].flat()) if (w.afterRequests !== undefined) w.afterRequests = Math.max(1, Math.round(w.afterRequests * f));
		if (r.rateLimit) {
			r.rateLimit.every = Math.max(10, Math.round(r.rateLimit.every * f));
			if (r.rateLimit.burst !== undefined) r.rateLimit.burst = Math.max(3, Math.round(r.rateLimit.burst * f));
		}
	}
	return s;
}

/**
 * @param {object} o
 * @param {Array<{lead_id: string, email: string}>} o.leads  the CSV rows fed to the workflow
 * @param {object} o.ledger  GET /__ledger
 * @param {Array<{stage: string, json: object}>} o.failed  items found on the Failed outputs
 */
export function reconcile({ leads, ledger, failed }) {
	const failedByLead = new Map();
	const unknownFailed = [];
	for (const f of failed) {
		const id = f.json?.lead_id;
		if (!id) unknownFailed.push(f);
		else failedByLead.set(id, [...(failedByLead.get(id) ?? []), f]);
	}
	const result = { delivered: [], failed: [], lost: [], deliveredButFlagged: [] };
	for (const lead of leads) {
		const rec = lead.email ? ledger.leads[lead.email.toLowerCase()] : undefined;
		const enrolled = (rec?.enrollments ?? 0) > 0;
		const onFailed = failedByLead.get(lead.lead_id);
		if (enrolled) {
			result.delivered.push(lead.lead_id);
			if (onFailed) result.deliveredButFlagged.push(lead.lead_id);
		} else if (onFailed) result.failed.push(lead.lead_id);
		else result.lost.push(lead.lead_id);
	}
	const byStageClass = {};
	const example = {};
	for (const f of failed) {
		const k = `${f.stage} · ${f.json?.resilience?.outcome ?? '?'} · ${f.json?.resilience?.class ?? '?'}`;
		byStageClass[k] = (byStageClass[k] ?? 0) + 1;
		example[k] ??= `${f.json?.lead_id}: ${f.json?.resilience?.reason ?? ''}`;
	}
	const summary = {
		leads: leads.length,
		delivered: result.delivered.length,
		failed: result.failed.length,
		lost: result.lost.length,
		duplicates: ledger.duplicates.length,
		requests: ledger.totals.requests,
		retries: ledger.totals.repeats,
	};
	return { ...result, summary, byStageClass, example, unknownFailed, failedByLead };
}

const pad = (v, n) => String(v).padStart(n);
const busy = (r) => (r?.lastAt ? ((Date.parse(r.lastAt) - Date.parse(r.firstAt)) / 1000).toFixed(1) : '-');

/** The human table, one string; `wallS` is added to the last line. */
export function formatReport(r, ledger, wallS) {
	const out = [];
	const endings = (route) => ledger.routes[route]?.endings ?? {};
	const sum = (e, pred) => Object.entries(e).reduce((a, [k, v]) => (pred(k) ? a + v : a), 0);
	out.push('', 'Reconciliation: the mock API ledger (what really happened) × the items on n8n\'s Failed outputs', '');
	out.push(`${'endpoint'.padEnd(28)}${pad('requests', 9)}${pad('2xx', 7)}${pad('429', 6)}${pad('503', 6)}${pad('reset', 7)}${pad('4xx', 6)}${pad('repeats', 9)}${pad('busy_s', 8)}`);
	for (const s of STAGES) {
		const e = endings(s.route);
		out.push(
			`${s.label.padEnd(28)}${pad(ledger.routes[s.route]?.total ?? 0, 9)}${pad(sum(e, (k) => /^2/.test(k)), 7)}${pad(e['429'] ?? 0, 6)}${pad(sum(e, (k) => /^5/.test(k)), 6)}` +
				`${pad((e['reset-before'] ?? 0) + (e['reset-after'] ?? 0), 7)}${pad(sum(e, (k) => /^4/.test(k) && k !== '429'), 6)}${pad(ledger.routes[s.route]?.repeats ?? 0, 9)}${pad(busy(ledger.routes[s.route]), 8)}`,
		);
	}
	const t = ledger.totals;
	out.push('', `side effects: ${t.enrichments} enrichments, ${t.contactsCreated} contacts created, ${t.contactsUpdated} contact updates, ${t.enrollments} enrollments`);
	const windows = Object.entries(ledger.plan ?? {}).flatMap(([route, p]) => p.outageWindows.filter((w) => w.startedAt).map((w) => `${route} outage #${w.index + 1} began ${w.startedAt}`));
	const label = ledger.config?.routes?.crm?.outage?.[0]?.label;
	if (windows.length) out.push(`the incident${label ? ` ("${label}")` : ''}: ${windows.join('; ')}`);
	out.push('', 'Failed outputs (stage · outcome · class):');
	for (const [k, v] of Object.entries(r.byStageClass).sort()) {
		const e = r.example[k] ?? '';
		out.push(`  ${pad(v, 5)}  ${k}`, `         e.g. ${e.length > 110 ? `${e.slice(0, 107)}...` : e}`);
	}
	if (r.unknownFailed.length) out.push(`  ${pad(r.unknownFailed.length, 5)}  items without a lead_id`);
	out.push('', `${'leads'.padEnd(46)}${pad(r.summary.leads, 6)}`);
	out.push(`${'  delivered (enrolled, per the ledger)'.padEnd(46)}${pad(r.summary.delivered, 6)}`);
	if (r.deliveredButFlagged.length) out.push(`${'    of which also flagged on Failed (ambiguous)'.padEnd(46)}${pad(r.deliveredButFlagged.length, 6)}`);
	out.push(`${'  failed (visible on a Failed output)'.padEnd(46)}${pad(r.summary.failed, 6)}`);
	out.push(`${'  lost (neither)'.padEnd(46)}${pad(r.summary.lost, 6)}${r.lost.length ? `  e.g. ${r.lost.slice(0, 5).join(', ')}` : ''}`);
	out.push(`${'duplicates (a record created more than once)'.padEnd(46)}${pad(r.summary.duplicates, 6)}`);
	for (const d of ledger.duplicates.slice(0, 5)) out.push(`    ${d.kind} ${d.leadId ?? d.email} ×${d.count}`);
	out.push('');
	const s = r.summary;
	out.push(`leads=${s.leads} delivered=${s.delivered} failed=${s.failed} lost=${s.lost} duplicates=${s.duplicates} requests=${s.requests} retries=${s.retries} wall_s=${wallS}`);
	return out.join('\n');
}
