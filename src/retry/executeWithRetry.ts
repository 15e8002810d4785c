// The retry loop: send, classify, record, then finish, defer, refresh or wait — never sleeping past the window.
import { createBackoff, jitterServerWait } from '../backoff';
import { toNetworkFailure } from '../transport/toNetworkFailure';
import type { AttemptRecord, AttemptResult, ExecuteOptions, ExecutionResult, Outcome, Verdict } from '../types';
import { provesNotProcessed } from '../classify/retrySafety';
import { makeAttemptRecord } from './attemptRecord';
import { runReconcile } from '../reconcile/runReconcile';

const FINAL: Partial<Record<Verdict['class'], Outcome>> = {
	success: 'success',
	permanent: 'failed-permanent',
	conflict: 'conflict',
	partial: 'partial',
	ambiguous: 'ambiguous',
};

function isAborted(signal?: AbortSignal): boolean {
	return signal?.aborted === true;
}

export async function executeWithRetry(o: ExecuteOptions): Promise<ExecutionResult> {
	const { policy, clock, random } = o;
	const backoff = createBackoff(policy);
	const attempts: AttemptRecord[] = [];
	const warnings: string[] = [];
	const start = clock.now();
	let refreshed = false;
	let retries = 0;
	// A rule's own cap (e.g. UNKNOWN_EXCEPTION: 1 retry) counts only the retries that rule caused.
	const retriesByRule = new Map<string, number>();
	let previousWait: number | undefined;
	let last: AttemptResult | undefined;
	let verdict: Verdict | undefined;
	const done = (outcome: Outcome, extra: Partial<ExecutionResult> = {}): ExecutionResult => {
		o.log?.(outcome === 'success' ? 'debug' : 'info', `request ${outcome}`, { attempts: attempts.length, rule: verdict?.rule });
		return { outcome, verdict, last, attempts, warnings, ...extra };
	};

	for (let attempt = 1; ; attempt++) {
		if (isAborted(o.signal)) return done('cancelled');
		const gate = o.beforeAttempt ? await o.beforeAttempt(attempt) : undefined;
		if (gate && 'stop' in gate) {
			warnings.push(gate.reason);
			return done(gate.stop, gate.retryAt !== undefined ? { retryAt: gate.retryAt } : {});
		}
		if (gate && gate.waitMs > 0) {
			try {
				await o.sleep(gate.waitMs, o.signal);
			} catch {
				return done('cancelled');
			}
			if (isAborted(o.signal)) return done('cancelled');
		}
		const t0 = clock.now();
		try {
			last = await o.send(attempt, o.signal);
		} catch (err) {
			last = { kind: 'network', error: toNetworkFailure(err) };
		}
		const t1 = clock.now();
		if (isAborted(o.signal)) {
			verdict = o.classify(last, o.request, t1);
			attempts.push(makeAttemptRecord(attempt, t0, t1, last, verdict, o));
			// The answer arrived: the outcome is known, the stop changes nothing about it.
			if (verdict.class === 'success') return done('success');
			// Stopped while the request was out: the server may have applied it, so a guard must not free its key,
			// and a write that is not safe to repeat is ambiguous.
			if (provesNotProcessed(last)) return done('cancelled');
			return done('cancelled', verdict.class === 'ambiguous' ? { inFlight: true, ambiguous: true } : { inFlight: true });
		}
		verdict = o.classify(last, o.request, t1);
		const record = makeAttemptRecord(attempt, t0, t1, last, verdict, o);
		attempts.push(record);
		await o.onAttempt?.(record, verdict, last);
		for (const w of verdict.warnings) {
			warnings.push(w);
			o.log?.('warn', w, { attempt });
		}

		const final = FINAL[verdict.class];
		if (final === 'ambiguous' && o.reconcile) {
			// The write may have been applied: read instead of resending.
			const rc = await runReconcile(o, o.reconcile, start, attempts, warnings);
			if (rc.kind === 'cancelled') return done('cancelled', { ambiguous: true });
			if (rc.kind === 'found') {
				last = rc.last;
				verdict = rc.verdict;
				return done('success', { reconciled: { tries: rc.tries, result: rc.result } });
			}
			// Only a lookup that answered (no lookup failed) is evidence enough to send the write again.
			const resend = o.reconcile.resendWhenNotFound === true && rc.kind === 'not-found' && rc.answered && retries < policy.maxAttempts - 1;
			const note = resend
				? `${rc.tries} lookup(s) found no trace of the write: sent again`
				: `outcome unknown: ${rc.tries} lookup(s) did not find the write; flagged ambiguous, not resent`;
			warnings.push(note);
			o.log?.('warn', note, { lookups: rc.tries });
			if (!resend) return done('ambiguous', { ambiguous: true });
			retries++;
			continue;
		}
		if (final) return done(final, final === 'ambiguous' ? { ambiguous: true } : {});
		if (verdict.class === 'quota-wait') return done('deferred', { retryAt: verdict.retryAt ?? t1 + (verdict.serverWaitMs ?? 0) });
		if (verdict.class === 'refresh-auth') {
			if (refreshed || !o.refreshAuth) {
				verdict = { ...verdict, class: 'permanent', reason: `${verdict.reason}${refreshed ? ' (again after a token refresh)' : ' (no refreshable credential)'}` };
				record.class = 'permanent';
				record.reason = verdict.reason;
				return done('failed-permanent');
			}
			refreshed = true;
			let ok = false;
			try {
				ok = await o.refreshAuth();
			} catch (err) {
				warnings.push(`token refresh failed: ${(err as Error).message}`);
			}
			if (!ok) {
				verdict = { ...verdict, class: 'permanent', reason: `${verdict.reason} (token refresh failed)` };
				return done('failed-permanent');
			}
			record.waitMs = 0;
			continue;
		}

		// transient
		const byRule = retriesByRule.get(verdict.rule) ?? 0;
		if (retries >= policy.maxAttempts - 1 || byRule >= (verdict.maxRetries ?? Infinity)) return done('failed-exhausted');
		retries++;
		retriesByRule.set(verdict.rule, byRule + 1);
		let wait: number;
		if (verdict.serverWaitMs !== undefined) wait = jitterServerWait(verdict.serverWaitMs, policy.jitter, random);
		else wait = backoff.next(retries, random, previousWait);
		if (verdict.minWaitMs !== undefined) wait = Math.max(wait, verdict.minWaitMs);
		if (t1 + wait - start > policy.maxRetryWindowMs) {
			const retryAt = t1 + (verdict.serverWaitMs ?? wait);
			const note = `the next try would be ${Math.round(wait / 1000)}s away, beyond the ${Math.round(policy.maxRetryWindowMs / 1000)}s retry window: deferred`;
			warnings.push(note);
			return done('deferred', { retryAt });
		}
		record.waitMs = wait;
		previousWait = wait;
		o.log?.('debug', `retry ${retries} in ${wait}ms`, { rule: verdict.rule });
		try {
			await o.sleep(wait, o.signal);
		} catch (err) {
			// Injected sleeps reject only when cancelled; anything else still must not lose the item.
			if (!isAborted(o.signal)) warnings.push(`wait interrupted: ${(err as Error)?.message ?? String(err)}`);
			return done('cancelled');
		}
		if (isAborted(o.signal)) return done('cancelled');
	}
}
