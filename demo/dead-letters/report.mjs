// The PostgreSQL mode's printed report: phase 1 (the pipeline, its dead letters), phase 2 (the replay), the final
// reconciliation and the last line, which extends the default demo's with the dead-letter figures.
import { formatReport } from '../reconcile.mjs';

const pad = (v, n) => String(v).padStart(n);
const clip = (s, n = 100) => (s.length > n ? `${s.slice(0, n - 3)}...` : s);

/** Phase 1: the default demo's table (without its last line), then the rows of the dead-letter table. */
export function formatPhase1(r1, ledger1, wallS, byQueueClass, rows1, problems) {
	const lines = formatReport(r1, ledger1, wallS).split('\n');
	const out = ['', '=== Phase 1: the pipeline, every Failed item dead-lettered to PostgreSQL ===', ...lines.slice(0, -2)];
	out.push('', `Dead-letter table after phase 1: ${rows1.length} row(s)`, `  ${'queue · class'.padEnd(26)}${pad('rows', 6)}`);
	for (const [k, t] of Object.entries(byQueueClass).sort()) out.push(`  ${k.padEnd(26)}${pad(t.rows, 6)}   e.g. ${clip(t.example)}`);
	const outcomes = {};
	for (const row of rows1) {
		const k = `${row.queue} · ${row.latest?.classification?.outcome}`;
		outcomes[k] = (outcomes[k] ?? 0) + 1;
	}
	out.push(`  by outcome: ${Object.entries(outcomes).sort().map(([k, v]) => `${k} ${v}`).join(', ')}`);
	const signed = Object.entries(ledger1.routes).map(([route, x]) => `${route} ${x.signed ?? 0}/${x.total}`).join(', ');
	out.push(`  requests that carried their credential (per the mock): ${signed}; the secrets were searched for in every row and in n8n's output`);
	out.push(problems.length ? `  CONTEXT CHECK FAILED for ${problems.length}: ${problems.slice(0, 5).join('; ')}` : '  context check: every lead on a Failed output has exactly one row with its item, request (secrets redacted), every attempt, classification, workflow, execution and node');
	return out.join('\n');
}

/** Phase 2: what the mock received during the replay, and what became of each queue · class. */
export function formatPhase2(delta, byQueueClass, rows2, replayS) {
	const out = ['', `=== Phase 2: the faults cleared; examples/lead-pipeline-replay.json ran in n8n (${replayS.toFixed(1)} s) ===`, ''];
	out.push(`${'endpoint (phase 2 only)'.padEnd(28)}${pad('requests', 9)}  endings`);
	for (const [route, d] of Object.entries(delta)) out.push(`${route.padEnd(28)}${pad(d.total, 9)}  ${Object.entries(d.endings).map(([k, v]) => `${k}: ${v}`).join(', ')}`);
	out.push('', `  ${'queue · class (after phase 1)'.padEnd(32)}${pad('rows', 6)}${pad('replayed', 10)}${pad('resolved', 10)}${pad('open', 6)}${pad('discarded', 11)}`);
	for (const [k, t] of Object.entries(byQueueClass).sort()) out.push(`  ${k.padEnd(32)}${pad(t.rows, 6)}${pad(t.replayed, 10)}${pad(t.resolved, 10)}${pad(t.open, 6)}${pad(t.discarded, 11)}`);
	const notes = {};
	for (const r of rows2.filter((x) => x.status !== 'new' && x.note)) {
		const k = `${r.status}: ${r.note.replace(/sequenceState \d+/, 'sequenceState N')}`;
		notes[k] = (notes[k] ?? 0) + 1;
	}
	if (Object.keys(notes).length) out.push('', '  notes on closed rows:', ...Object.entries(notes).sort().map(([k, v]) => `  ${pad(v, 5)}  ${clip(k, 110)}`));
	return out.join('\n');
}

/** The final reconciliation (ledger × table after the replay) and the last line. */
export function formatFinal(rec, ledger, leads, wallS) {
	const f = rec.figures;
	const row = (label, v, eg = []) => `${label.padEnd(50)}${pad(v, 6)}${eg.length ? `  e.g. ${eg.slice(0, 5).join(', ')}` : ''}`;
	const out = ['', '=== After the replay: the mock\'s ledger × the dead-letter table ===', ''];
	out.push(row('leads', leads.length));
	out.push(row('  delivered (enrolled, per the ledger)', rec.delivered.length));
	out.push(row('  failed (an open or discarded row)', rec.failed.length));
	out.push(row('  lost (neither)', rec.lost.length, rec.lost));
	out.push(row('  good leads not delivered after the replay', rec.undeliveredGood.length, rec.undeliveredGood));
	out.push(row('duplicates (a record created more than once)', ledger.duplicates.length));
	for (const d of ledger.duplicates.slice(0, 5)) out.push(`    ${d.kind} ${d.leadId ?? d.email} ×${d.count}`);
	if (rec.resolvedUndelivered.length) out.push(row('  rows resolved for a lead never enrolled', rec.resolvedUndelivered.length, rec.resolvedUndelivered));
	if (rec.secondRow.length) out.push(row('  leads with a second row', rec.secondRow.length, rec.secondRow));
	out.push(row('dead-letter rows', f.dead_letters));
	out.push(row('  replayed (taken by a replay at least once)', f.replayed));
	out.push(row('  resolved', f.resolved));
	out.push(row('  open (new or requeued)', f.open));
	out.push(row('  discarded', f.discarded));
	out.push('');
	const t = ledger.totals;
	out.push(
		`leads=${leads.length} delivered=${rec.delivered.length} failed=${rec.failed.length} lost=${rec.lost.length} duplicates=${ledger.duplicates.length} requests=${t.requests} retries=${t.repeats} wall_s=${wallS}` +
			` dead_letters=${f.dead_letters} replayed=${f.replayed} resolved=${f.resolved} open=${f.open} discarded=${f.discarded}`,
	);
	return out.join('\n');
}
