// Read-before-retry: an ambiguous write is never resent; a lookup decides whether the server applied it.
import { makeAttemptRecord } from '../retry/attemptRecord';
import { toNetworkFailure } from '../transport/toNetworkFailure';
import type { AttemptRecord, AttemptResult, ExecuteOptions, ReconcileOptions, Verdict } from '../types';
import { readJsonPath } from './jsonPath';

export type ReconcileOutcome =
	| { kind: 'found'; tries: number; result: unknown; last: AttemptResult; verdict: Verdict }
	/** answered: every lookup got a 2xx JSON answer (none failed), so "not found" is an answer, not a guess. */
	| { kind: 'not-found'; tries: number; answered: boolean }
	| { kind: 'cancelled'; tries: number };

/** Whether a lookup's parsed body shows the write was applied. */
export function matchesFoundWhen(body: unknown, foundWhen: ReconcileOptions['foundWhen']): boolean {
	const value = readJsonPath(body, foundWhen.jsonPath);
	if (foundWhen.equals !== undefined) {
		if (value === undefined || (value !== null && typeof value === 'object')) return false;
		return value === foundWhen.equals || String(value) === String(foundWhen.equals);
	}
	const present = value !== undefined && value !== null;
	return foundWhen.exists === false ? !present : present;
}

function lookupVerdict(cls: Verdict['class'], rule: string, reason: string): Verdict {
	return { class: cls, rule, reason, breakerFailure: false, warnings: [] };
}

/** Judges one lookup: found (with the parsed body) or a reason it did not prove the write. */
function judge(r: AttemptResult, rc: ReconcileOptions): { found: true; body: unknown } | { found: false; rule: string; reason: string } {
	if (r.kind === 'network') return { found: false, rule: 'reconcile.error', reason: `lookup failed: ${r.error.code}` };
	const { status, body } = r.response;
	if (status < 200 || status > 299) return { found: false, rule: 'reconcile.error', reason: `lookup answered HTTP ${status}` };
	let parsed: unknown;
	try {
		parsed = JSON.parse(body);
	} catch {
		return { found: false, rule: 'reconcile.unreadable', reason: 'lookup answered a body that is not JSON' };
	}
	if (!matchesFoundWhen(parsed, rc.foundWhen)) return { found: false, rule: 'reconcile.not-found', reason: `lookup: ${rc.foundWhen.jsonPath} does not show the write yet` };
	return { found: true, body: parsed };
}

/** Runs up to maxTries lookups, one per minIntervalMs (first at once), never past the retry window from `start`. */
export async function runReconcile(o: ExecuteOptions, rc: ReconcileOptions, start: number, attempts: AttemptRecord[], warnings: string[]): Promise<ReconcileOutcome> {
	const { clock, signal } = o;
	let lastStart: number | undefined;
	let tries = 0;
	let answered = true;
	while (tries < Math.max(1, rc.maxTries)) {
		if (lastStart !== undefined) {
			const wait = Math.max(0, lastStart + rc.minIntervalMs - clock.now());
			if (clock.now() + wait - start > o.policy.maxRetryWindowMs) {
				warnings.push(`the next lookup would start beyond the ${Math.round(o.policy.maxRetryWindowMs / 1000)}s retry window: stopped after ${tries}`);
				break;
			}
			if (attempts.length) attempts[attempts.length - 1].waitMs = wait;
			if (wait > 0) {
				try {
					await o.sleep(wait, signal);
				} catch {
					return { kind: 'cancelled', tries };
				}
			}
		}
		if (signal?.aborted) return { kind: 'cancelled', tries };
		tries++;
		const t0 = (lastStart = clock.now());
		let r: AttemptResult;
		try {
			r = await rc.send(tries, signal);
		} catch (err) {
			r = { kind: 'network', error: toNetworkFailure(err) };
		}
		const t1 = clock.now();
		const j = judge(r, rc);
		if (!j.found && j.rule !== 'reconcile.not-found') answered = false;
		const verdict = j.found
			? lookupVerdict('success', 'reconcile.found', `lookup ${tries} found the write applied`)
			: lookupVerdict('ambiguous', j.rule, j.reason);
		const record = makeAttemptRecord(attempts.length + 1, t0, t1, r, verdict, o);
		record.lookup = true;
		attempts.push(record);
		o.log?.('debug', verdict.reason, { lookup: tries });
		if (signal?.aborted) return { kind: 'cancelled', tries };
		if (j.found) {
			const result = rc.resultPath ? readJsonPath(j.body, rc.resultPath) : j.body;
			return { kind: 'found', tries, result, last: r, verdict };
		}
	}
	return { kind: 'not-found', tries, answered: answered && tries > 0 };
}
