// Checks a played flow against its `expect` block (scenario README §2 expect); returns every broken expectation.
import type { Count, Window } from './flow-types';
import type { FlowRun, ItemRun } from './player';
import { bodyContains, matchesPathKey, matchesRule, requestValueAt, type RecordedRequest } from './request-match';
import { templateInstant } from './templates';

function countOk(actual: number, want: Count): boolean {
	if (typeof want === 'number') return actual === want;
	return (want.min === undefined || actual >= want.min) && (want.max === undefined || actual <= want.max);
}
const showCount = (c: Count) => (typeof c === 'number' ? String(c) : `[${c.min ?? ''}..${c.max ?? ''}]`);
const inWindow = (v: number, [lo, hi]: Window) => v >= lo && (hi === null || v <= hi);
const showWindow = ([lo, hi]: Window) => `[${lo}, ${hi ?? '∞'}]`;

/** Outcome of several items: success if all succeed, the common outcome if all agree, partial if mixed. */
function combined(items: ItemRun[]): string {
	const set = new Set(items.map((i) => i.outcome));
	return set.size === 1 ? [...set][0] : 'partial';
}

function describeItem(i: ItemRun): string {
	const a = i.result?.attempts.map((x) => `${x.status ?? x.errorCode}:${x.class}${x.waitMs !== undefined ? `/wait ${x.waitMs}` : ''}`);
	return `client ${i.client} step ${i.stepIndex + 1}: ${i.outcome}${a ? ` [${a.join(', ')}]` : ''}`;
}

function successId(i: ItemRun): unknown {
	const last = i.result?.last;
	if (last?.kind !== 'response') return undefined;
	try {
		return (JSON.parse(last.response.body) as { id?: unknown }).id;
	} catch {
		return undefined;
	}
}

export function checkFlow(run: FlowRun): string[] {
	const { flow, server, items, start } = run;
	const e = flow.expect;
	const reqs = server.requests;
	const fail: string[] = [];
	const clients = [...new Set(items.map((i) => i.client))].sort((a, b) => a - b);
	const byClient = (c: number) => reqs.filter((r) => r.client === String(c));
	const itemSummary = () => items.map(describeItem).join('; ');

	if (e.requests !== undefined && !countOk(reqs.length, e.requests))
		fail.push(`requests: got ${reqs.length}, want ${showCount(e.requests)}`);
	for (const [key, want] of Object.entries(e.requestsByPath ?? {})) {
		const n = reqs.filter((r) => matchesPathKey(key, r)).length;
		if (!countOk(n, want)) fail.push(`requestsByPath["${key}"]: got ${n}, want ${showCount(want)}`);
	}
	for (const [runId, paths] of Object.entries(e.requestsByRun ?? {}))
		for (const [key, want] of Object.entries(paths)) {
			const n = reqs.filter((r) => r.run === runId && matchesPathKey(key, r)).length;
			if (!countOk(n, want)) fail.push(`requestsByRun[${runId}]["${key}"]: got ${n}, want ${showCount(want)}`);
		}

	if (e.outcome !== undefined)
		for (const c of clients) {
			const got = combined(items.filter((i) => i.client === c));
			if (got !== e.outcome) fail.push(`outcome (client ${c}): got ${got}, want ${e.outcome} — ${itemSummary()}`);
		}
	// An unknown outcome must be flagged as such, not only named (README §3 ambiguous).
	for (const i of items)
		if (i.outcome === 'ambiguous' && i.result?.ambiguous !== true) fail.push(`ambiguous: ${describeItem(i)} is not flagged ambiguous`);
	if (e.itemOutcomes) {
		const got = items.filter((i) => i.client === clients[0]).sort((a, b) => a.stepIndex - b.stepIndex).map((i) => i.outcome);
		if (JSON.stringify(got) !== JSON.stringify(e.itemOutcomes))
			fail.push(`itemOutcomes: got ${JSON.stringify(got)}, want ${JSON.stringify(e.itemOutcomes)}`);
	}

	if (e.gapsMs)
		for (const c of clients) {
			const list = byClient(c);
			e.gapsMs.forEach((w, k) => {
				const prev = list[k];
				const next = list[k + 1];
				if (!prev || !next) return fail.push(`gap ${k + 1} (client ${c}): only ${list.length} request(s), want window ${showWindow(w)}`);
				const gap = next.arrivedAt - (prev.endedAt ?? prev.arrivedAt);
				if (!inWindow(gap, w)) fail.push(`gap ${k + 1} (client ${c}): ${gap} ms, want ${showWindow(w)}`);
			});
		}

	const failed = items.filter((i) => i.outcome !== 'success');
	if (e.deadLetters !== undefined && failed.length !== e.deadLetters)
		fail.push(`deadLetters (items on Failed): got ${failed.length}, want ${e.deadLetters}`);
	for (const [name, want] of Object.entries(e.sideEffects ?? {})) {
		const n = server.effects[name] ?? 0;
		if (!countOk(n, want)) fail.push(`sideEffects.${name}: got ${n}, want ${showCount(want)}`);
	}
	if (e.noDuplicateEffectsBy) {
		const seen = new Map<string, number>();
		for (const r of server.effectRequests) {
			const v = JSON.stringify(requestValueAt(r, e.noDuplicateEffectsBy));
			seen.set(v, (seen.get(v) ?? 0) + 1);
		}
		for (const [v, n] of seen) if (n > 1) fail.push(`noDuplicateEffectsBy ${e.noDuplicateEffectsBy}: ${v} caused ${n} effects`);
	}
	if (e.sameIdempotencyKeyAcrossAttempts) checkSameKey(run, fail);

	if (e.settleWithinMs !== undefined) {
		const anchor = server.lastResponseEnd() ?? start;
		for (const i of items) {
			const took = i.settledAt - anchor;
			if (took > e.settleWithinMs) fail.push(`settleWithinMs: client ${i.client} step ${i.stepIndex + 1} settled ${took} ms after the last response, want ≤ ${e.settleWithinMs}`);
		}
	}
	if (e.retryAtTemplate) checkRetryAt(run, e.retryAtTemplate, e.retryAtSlackMs ?? 60_000, fail);
	for (const rc of e.requestChecks ?? []) checkRequest(reqs, rc, start, fail);

	const messages = items.flatMap((i) => i.messages).map((m) => m.toLowerCase());
	for (const s of e.messagesContain ?? [])
		if (!messages.some((m) => m.includes(s.toLowerCase()))) fail.push(`messagesContain "${s}": not in ${JSON.stringify(messages)}`);
	for (const s of e.messagesNotContain ?? [])
		if (messages.some((m) => m.includes(s.toLowerCase()))) fail.push(`messagesNotContain "${s}": found in ${JSON.stringify(messages)}`);
	if (e.warningLogged !== undefined && items.some((i) => i.warned) !== e.warningLogged)
		fail.push(`warningLogged: want ${e.warningLogged}, messages ${JSON.stringify(messages)}`);

	if (e.outputs) {
		const ok = items.filter((i) => i.outcome === 'success');
		const o = e.outputs;
		if (o.success !== undefined && ok.length !== o.success) fail.push(`outputs.success: got ${ok.length}, want ${o.success}`);
		if (o.error !== undefined && failed.length !== o.error) fail.push(`outputs.error: got ${failed.length}, want ${o.error}`);
		if (o.successIds && JSON.stringify(ok.map(successId)) !== JSON.stringify(o.successIds))
			fail.push(`outputs.successIds: got ${JSON.stringify(ok.map(successId))}, want ${JSON.stringify(o.successIds)}`);
		if (o.errorPairedItems && JSON.stringify(failed.map((i) => i.stepIndex)) !== JSON.stringify(o.errorPairedItems))
			fail.push(`outputs.errorPairedItems: got ${JSON.stringify(failed.map((i) => i.stepIndex))}, want ${JSON.stringify(o.errorPairedItems)}`);
	}
	if (e.herd) checkHerd(run, fail);
	for (const k of ['phases', 'records', 'finalState', 'deliveryResponses'] as const)
		if (e[k] !== undefined) fail.push(`${k}: the player cannot check this yet`);
	return fail;
}

/** Every request of a step carries one and the same Idempotency-Key, the one the client chose. */
function checkSameKey(run: FlowRun, fail: string[]): void {
	for (const i of run.items) {
		const step = run.flow.steps[i.stepIndex];
		if (step.idempotencyKey === null) continue;
		const mine = run.server.requests.filter(
			(r) => r.client === String(i.client) && r.run === i.run && r.method === step.method.toUpperCase() && matchesPathKey(step.path ?? '', r),
		);
		const keys = new Set(mine.map((r) => r.headers['idempotency-key'] ?? '(none)'));
		if (mine.length === 0 || keys.size !== 1 || keys.has('(none)'))
			fail.push(`sameIdempotencyKeyAcrossAttempts: step ${i.stepIndex + 1} sent keys ${JSON.stringify([...keys])} over ${mine.length} request(s)`);
	}
}

function checkRetryAt(run: FlowRun, template: string, slack: number, fail: string[]): void {
	for (const i of run.items) {
		const anchorReq = [...run.server.requests].reverse().find((r) => r.client === String(i.client) && r.sentAt !== undefined);
		if (!anchorReq) return void fail.push(`retryAtTemplate: no response anchors client ${i.client}`);
		const want = templateInstant(template, anchorReq.sentAt!);
		const got = i.result?.retryAt;
		if (got === undefined) fail.push(`retryAtTemplate: client ${i.client} step ${i.stepIndex + 1} exposes no retryAt`);
		else if (got < want || got > want + slack)
			fail.push(`retryAtTemplate: retryAt is anchor+${got - anchorReq.sentAt!} ms, want [${want - anchorReq.sentAt!}, ${want + slack - anchorReq.sentAt!}]`);
	}
}

function checkRequest(reqs: RecordedRequest[], rc: NonNullable<FlowRun['flow']['expect']['requestChecks']>[number], start: number, fail: string[]): void {
	const matching = reqs.filter((r) => matchesRule(rc.match, r, start));
	const r = matching[rc.nth - 1];
	const label = `requestChecks ${JSON.stringify(rc.match)} #${rc.nth}`;
	if (!r) return void fail.push(`${label}: only ${matching.length} matching request(s)`);
	for (const [k, v] of Object.entries(rc.headers ?? {}))
		if (r.headers[k.toLowerCase()] !== v) fail.push(`${label}: header ${k} is ${JSON.stringify(r.headers[k.toLowerCase()])}, want ${JSON.stringify(v)}`);
	if (rc.bodyContains !== undefined && !bodyContains(r.body, rc.bodyContains)) fail.push(`${label}: body lacks ${JSON.stringify(rc.bodyContains)}`);
	if (rc.gapFromPreviousMatchMs) {
		const prev = matching[rc.nth - 2];
		if (!prev) fail.push(`${label}: no previous matching request for the gap`);
		else {
			const gap = r.arrivedAt - (prev.endedAt ?? prev.arrivedAt);
			if (!inWindow(gap, rc.gapFromPreviousMatchMs)) fail.push(`${label}: gap ${gap} ms, want ${showWindow(rc.gapFromPreviousMatchMs)}`);
		}
	}
}

/** The clients' first retries (each client's second request) must be spread out. */
function checkHerd(run: FlowRun, fail: string[]): void {
	const h = run.flow.expect.herd!;
	const clients = [...new Set(run.items.map((i) => i.client))];
	const firstRetries = clients
		.map((c) => run.server.requests.filter((r) => r.client === String(c))[1]?.arrivedAt)
		.filter((t): t is number => t !== undefined);
	if (firstRetries.length < clients.length) fail.push(`herd: only ${firstRetries.length} of ${clients.length} clients retried`);
	if (firstRetries.length === 0) return;
	const spread = Math.max(...firstRetries) - Math.min(...firstRetries);
	if (h.firstRetrySpreadMinMs !== undefined && spread < h.firstRetrySpreadMinMs)
		fail.push(`herd: first-retry spread ${spread} ms, want ≥ ${h.firstRetrySpreadMinMs}`);
	if (h.bucketMs && h.maxFirstRetriesPerBucket !== undefined) {
		const buckets = new Map<number, number>();
		for (const t of firstRetries) {
			const b = Math.floor((t - run.start) / h.bucketMs);
			buckets.set(b, (buckets.get(b) ?? 0) + 1);
		}
		const worst = Math.max(...buckets.values());
		if (worst > h.maxFirstRetriesPerBucket) fail.push(`herd: ${worst} first retries in one ${h.bucketMs} ms bucket, want ≤ ${h.maxFirstRetriesPerBucket}`);
	}
}
