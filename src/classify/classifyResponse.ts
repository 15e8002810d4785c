// Classifies one HTTP response: body rules (user first, then preset), policy status lists, then status defaults.
import type { AttemptResult, BodyRule, Preset, RequestFacts, ResponseSnapshot, ResultClass, RetryPolicy, Verdict } from '../types';
import { redactText } from '../redact/redact';
import { readBudget } from './budget';
import { errorMessageOf, safeParseJson } from './jsonBody';
import { extractValues, ruleMatches } from './matchRule';
import { evaluateRecords } from './records';
import { renderRetryAt } from './retryAtTemplates';
import { mayRetry } from './retrySafety';
import { readServerWait } from './serverWait';
import { defaultForStatus, STATUS_TEXT } from './statusDefaults';

export interface ClassifierContext {
	preset?: Preset;
	policy: RetryPolicy;
	userRules?: BodyRule[];
	presetOptions?: Record<string, string>;
}

/** If no quota-wait rule names a reset, re-check after an hour. */
const DEFAULT_QUOTA_WAIT_MS = 3_600_000;

export function findRule(ctx: ClassifierContext, response: ResponseSnapshot, parsed: unknown, method: string, url?: string): BodyRule | undefined {
	const user = (ctx.userRules ?? []).map((r, i) => ({ ...r, id: r.id || `user.${i + 1}` }));
	return [...user, ...(ctx.preset?.rules ?? [])].find((r) => ruleMatches(r, response, parsed, method, url));
}

function countBy(values: string[]): Record<string, number> {
	const out: Record<string, number> = {};
	for (const v of values) out[v] = (out[v] ?? 0) + 1;
	return out;
}

function seconds(ms: number): string {
	return ms >= 1000 ? `${Math.round(ms / 100) / 10}s` : `${ms}ms`;
}

function statusLine(status: number): string {
	const text = STATUS_TEXT[status];
	return text ? `HTTP ${status} ${text}` : `HTTP ${status}`;
}

export function classifyResponse(ctx: ClassifierContext, response: ResponseSnapshot, request: RequestFacts, now: number): Verdict {
	const { policy } = ctx;
	const status = response.status;
	const parsed = safeParseJson(response.body);
	const rule = findRule(ctx, response, parsed, request.method, request.url);
	const fallback = defaultForStatus(status, request.method, response.headers.location);
	let cls: ResultClass;
	let ruleId: string;
	let detail: string;
	if (rule) {
		cls = rule.class;
		ruleId = rule.id;
		detail = rule.description ?? fallback.detail;
	} else if (policy.permanentStatus?.includes(status)) {
		[cls, ruleId, detail] = ['permanent', 'policy.permanentStatus', 'listed as permanent in the options'];
	} else if (policy.retryOnStatus?.includes(status) && status !== 400 && status >= 400) {
		[cls, ruleId, detail] = ['transient', 'policy.retryOnStatus', 'listed as retryable in the options'];
	} else {
		[cls, ruleId, detail] = [fallback.class, `status.${status}`, fallback.detail];
	}
	if (status === 429 && !/rate.?limit/i.test(detail)) detail = `rate limit: ${detail}`;
	if (response.headers['x-envoy-ratelimited'] !== undefined && !/envoy/.test(detail)) detail += ' (x-envoy-ratelimited)';

	const verdict: Verdict = { class: cls, reason: '', rule: ruleId, breakerFailure: false, warnings: [] };
	if (rule?.scope) verdict.scope = rule.scope;
	if (rule?.maxRetries !== undefined) verdict.maxRetries = rule.maxRetries;
	if (rule?.minWaitMs !== undefined) verdict.minWaitMs = rule.minWaitMs;
	const extract = extractValues(rule?.extract, response.body);
	if (extract) verdict.extract = extract;

	// Waits: what the server says, then what the rule knows.
	if (cls === 'transient' || cls === 'quota-wait' || cls === 'partial') {
		const sw = readServerWait(response, ctx.preset, now, rule?.useResetHeaders === true);
		verdict.warnings.push(...sw.warnings);
		let wait = sw.waitMs;
		// The rule's own wait (HubSpot's 10 s window) is longer than what the server said: credit it to the rule.
		let ruleWait = false;
		if (rule?.waitMs !== undefined && rule.waitMs > (wait ?? 0)) [wait, ruleWait] = [rule.waitMs, true];
		if (rule?.retryAtTemplate) {
			try {
				const at = renderRetryAt(rule.retryAtTemplate, now, ctx.presetOptions);
				if (cls === 'quota-wait') verdict.retryAt = Math.max(at, now + (wait ?? 0));
				else wait = Math.max(wait ?? 0, at - now);
			} catch (e) {
				verdict.warnings.push((e as Error).message);
			}
		}
		if (wait !== undefined) verdict.serverWaitMs = wait;
		if (ruleWait && wait !== undefined) detail += `; waits ${seconds(wait)} (rule ${ruleId}${sw.source && sw.waitMs !== undefined ? `; ${sw.source} said ${seconds(sw.waitMs)}` : ''})`;
		else if (sw.source && wait !== undefined) detail += `; server asks to wait ${seconds(wait)} (${sw.source})`;
	}
	if (cls === 'transient' && verdict.serverWaitMs !== undefined && verdict.serverWaitMs > policy.maxServerWaitMs) {
		cls = 'quota-wait';
		detail += `, longer than the ${seconds(policy.maxServerWaitMs)} waited in-process: deferred`;
	}
	if (cls === 'quota-wait' && verdict.retryAt === undefined) {
		const w = Math.max(verdict.serverWaitMs ?? 0, verdict.minWaitMs ?? 0);
		verdict.retryAt = now + (w > 0 ? w : DEFAULT_QUOTA_WAIT_MS);
	}
	if (cls === 'quota-wait') detail += ` (retry after ${new Date(verdict.retryAt as number).toISOString()})`;

	if (rule?.records && (cls === 'partial' || cls === 'success')) {
		const records = evaluateRecords(rule.records, parsed);
		if (records) {
			verdict.records = records;
			verdict.recordsSpec = rule.records;
			const failed = records.filter((r) => r.class !== 'success');
			cls = failed.length === 0 ? 'success' : 'partial';
			const byClass = Object.entries(countBy(failed.map((r) => r.class))).map(([c, n]) => `${n} ${c}`);
			detail = failed.length === 0 ? 'all records succeeded' : `${failed.length} of ${records.length} records failed (${byClass.join(', ')})`;
		}
	}

	// A non-idempotent write that may have been applied is not retried blindly.
	const result: AttemptResult = { kind: 'response', response };
	if (cls === 'transient' && !mayRetry(request, result, policy, ctx.preset?.idempotentRoutes, rule?.notProcessed === true)) {
		cls = 'ambiguous';
		detail += `; ${request.method.toUpperCase()} may already have been applied, so it is not retried without an idempotency key`;
	}
	if (cls === 'transient' && !policy.retryServerErrors && status >= 500 && rule?.notProcessed !== true) {
		verdict.maxRetries = 0;
		detail += '; retries for server errors are turned off';
	}

	verdict.class = cls;
	verdict.budget = readBudget(response.headers);
	// 4xx (429 included) and quota answers say nothing about the endpoint's health: never breaker failures.
	const neverBreaker = cls === 'quota-wait' || (status >= 400 && status < 500);
	verdict.breakerFailure = neverBreaker ? false : (rule?.breakerFailure ?? ((cls === 'transient' || cls === 'ambiguous') && status >= 500));
	const message = parsed !== undefined ? errorMessageOf(parsed) : undefined;
	const msg = message && !detail.includes(message) && cls !== 'success' ? ` — "${message.slice(0, 160)}"` : '';
	verdict.reason = redactText(`${statusLine(status)}: ${detail}${msg}`);
	return verdict;
}
