// One attempt as kept in the item's history: chosen headers only, a capped and redacted body excerpt.
import { redactText } from '../redact';
import type { AttemptRecord, AttemptResult, Verdict } from '../types';

/** Rate-limit, retry and request-id headers: what an operator needs to explain a failure. Never auth or cookies. */
const CHOSEN = /^(retry-after(-ms)?|date|content-type|x-should-retry|stripe-should-retry|x-envoy-ratelimited|sforce-limit-info|(x-)?ratelimit-.*|x-rate-?limit.*|x-hubspot-ratelimit-.*|anthropic-ratelimit-.*|x-(minute|hourly|24-hour|daily)-requests-left|x-(minute|hourly|24-hour)-usage|zendesk-ratelimit-.*|x-ms-ratelimit-.*|(x-)?request-id|x-correlation-id|x-hubspot-correlation-id|x-slack-req-id|client-request-id|x-amzn-requestid|cf-ray)$/i;

export function chooseHeaders(headers: Record<string, string>, extra: string[] = []): Record<string, string> {
	const wanted = new Set(extra.map((h) => h.toLowerCase()));
	const out: Record<string, string> = {};
	for (const [k, v] of Object.entries(headers)) {
		const name = k.toLowerCase();
		if (/authorization|cookie|api-key|token$/.test(name)) continue;
		if (CHOSEN.test(name) || wanted.has(name)) out[name] = String(v).slice(0, 200);
	}
	return out;
}

export function bodyExcerpt(body: string, cap: number): string {
	// Only the head is kept, so only the head is redacted: parsing a large body for JSON would cost every attempt.
	const head = body.length > cap * 8 + 4096 ? body.slice(0, cap * 8 + 4096) : body;
	const text = redactText(head);
	return text.length > cap ? `${text.slice(0, cap)}…(${body.length} chars)` : text;
}

export function makeAttemptRecord(
	attempt: number,
	startedAt: number,
	endedAt: number,
	result: AttemptResult,
	verdict: Verdict,
	opts: { recordHeaders?: string[]; bodyExcerptChars?: number },
): AttemptRecord {
	const rec: AttemptRecord = {
		attempt,
		startedAt: new Date(startedAt).toISOString(),
		endedAt: new Date(endedAt).toISOString(),
		durationMs: Math.max(0, endedAt - startedAt),
		headers: {},
		bodyExcerpt: '',
		class: verdict.class,
		rule: verdict.rule,
		reason: verdict.reason,
	};
	if (result.kind === 'response') {
		rec.status = result.response.status;
		rec.headers = chooseHeaders(result.response.headers, opts.recordHeaders);
		rec.bodyExcerpt = bodyExcerpt(result.response.body, opts.bodyExcerptChars ?? 500);
	} else {
		rec.errorCode = result.error.code;
		rec.bodyExcerpt = redactText(result.error.message).slice(0, opts.bodyExcerptChars ?? 500);
	}
	if (verdict.warnings.length > 0) rec.warnings = [...verdict.warnings];
	return rec;
}
