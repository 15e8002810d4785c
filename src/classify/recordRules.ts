// How one failed record of a batch is classified: the code, message or status of its own error decide, as body
// rules do for a whole response. Preset rules (RecordsSpec.recordRules) come first; anything unmatched takes the
// spec's failedClass (permanent by default).
import type { RecordRule, RecordVerdict, RecordsSpec, ResultClass } from '../types';
import { errorMessageOf, getPath } from './jsonBody';
import { cachedRegex } from './matchRule';

export const COMMON_RECORD_RULES: RecordRule[] = [
	{
		id: 'record.rate-limited',
		match: { code: '^(rate_?limits?|rate_?limited|rate_?limit_?exceeded|throttled|too_?many_?requests|ratelimited)$', message: '\\brate[ -]limit(ed|s)?\\b|\\bratelimited\\b|too many requests|\\bthrottled\\b|secondly(_rolling)? limit', status: '429' },
		class: 'transient',
		waitMs: 1000,
	},
	{ id: 'record.concurrent-limit', match: { message: 'ConcurrentPerOrgLongTxn|ConcurrentRequest' }, class: 'transient', waitMs: 5000 },
	{ id: 'record.row-lock', match: { code: '^UNABLE_TO_LOCK_ROW$' }, class: 'transient', waitMs: 500 },
	{ id: 'record.request-limit', match: { code: '^REQUEST_LIMIT_EXCEEDED$' }, class: 'quota-wait', waitMs: 3_600_000 },
	{ id: 'record.conflict', match: { code: '^(CONFLICT|DUPLICATE_VALUE|DUPLICATES_DETECTED)$', status: '409' }, class: 'conflict' },
	{ id: 'record.server-error', match: { status: '5xx' }, class: 'transient', waitMs: 1000 },
];

const CODE_PATHS = ['category', 'subCategory', 'errorCode', 'errorType', 'statusCode', 'code', 'type', 'extensions.code', 'error.code', 'error.type'];
const STATUS_PATHS = ['status', 'statusCode', 'httpStatusCode', 'httpStatus'];

/** The error's code-like strings, its own and those of a nested errors[] (Salesforce SaveResult). */
function codesOf(err: unknown): string[] {
	const out: string[] = [];
	const take = (o: unknown) => {
		for (const p of CODE_PATHS) {
			const v = getPath(o, p);
			if (typeof v === 'string' && v.trim()) out.push(v.trim());
		}
	};
	take(err);
	const nested = getPath(err, 'errors');
	if (Array.isArray(nested)) nested.forEach(take);
	return out;
}

function statusOf(err: unknown): number | undefined {
	for (const p of [...STATUS_PATHS, 'errors.0.status', 'errors.0.httpStatusCode']) {
		const n = Number(getPath(err, p));
		if (Number.isInteger(n) && n >= 100 && n <= 599) return n;
	}
	return undefined;
}

function statusFits(spec: string, status: number | undefined): boolean {
	if (status === undefined) return false;
	const s = spec.trim().toLowerCase();
	return /^\dxx$/.test(s) ? Math.floor(status / 100) === Number(s[0]) : Number(s) === status;
}

export function recordRuleMatches(rule: RecordRule, err: unknown): boolean {
	const m = rule.match;
	if (m.code && codesOf(err).some((c) => cachedRegex(m.code!).test(c))) return true;
	if (m.message) {
		const msg = errorMessageOf(err) ?? errorMessageOf(getPath(err, 'errors'));
		if (msg && cachedRegex(m.message).test(msg)) return true;
	}
	return m.status !== undefined && statusFits(m.status, statusOf(err));
}

/** The verdict of one failed record: its class, the rule that said so and how long to wait, if any. */
export function classifyRecordError(spec: RecordsSpec, err: unknown): Pick<RecordVerdict, 'class' | 'rule' | 'waitMs'> {
	const rule = [...(spec.recordRules ?? []), ...COMMON_RECORD_RULES].find((r) => recordRuleMatches(r, err));
	if (!rule) return { class: (spec.failedClass ?? 'permanent') as ResultClass };
	const v: Pick<RecordVerdict, 'class' | 'rule' | 'waitMs'> = { class: rule.class, rule: rule.id };
	if (rule.waitMs !== undefined) v.waitMs = rule.waitMs;
	return v;
}
