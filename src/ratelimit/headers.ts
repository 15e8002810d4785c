// Reads what a response says about rate budgets, in every form the platforms use, into one RateObservation.
// Absent headers mean "unknown", never zero; nonsense values (Azure's -1) are skipped.
import { parseDateValue, parseDuration, parseRetryAfter, parseRetryAfterMs, parseResetHeader } from '../classify/timeFormats';
import { isValidTimeZone, nextMidnightIn } from '../classify/retryAtTemplates';
import type { ResetHeaderSpec } from '../types';
import type { DailyQuota, RateObservation, RateWindow } from './types';
import { parseIetfRateLimit } from './ietf';

export interface ReadRateHeadersOptions {
	now: number;
	/** The response status: Retry-After pauses the bucket only on 429 and 503. */
	status?: number;
	/** The preset's reset headers, whose format is known (others are guessed from the value). */
	resetHeaders?: ResetHeaderSpec[];
	/** HubSpot's daily limit resets at the account's midnight (IANA zone, default UTC). */
	accountTimeZone?: string;
}

const DAY_MS = 86_400_000;

function num(v: string | undefined): number | undefined {
	if (v === undefined) return undefined;
	const n = Number(v.trim().split(/[,;\s]/)[0]);
	return v.trim() !== '' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** A reset value whose form is not declared: epoch ms, epoch seconds, seconds left, a duration ("6m0s") or a date. */
export function guessResetMs(value: string, now: number): number | undefined {
	const v = value.trim();
	if (/^\d+(\.\d+)?$/.test(v)) {
		const n = parseFloat(v);
		if (n > 1e12) return Math.max(0, Math.round(n - now));
		if (n > 1e9) return Math.max(0, Math.round(n * 1000 - now));
		return Math.round(n * 1000);
	}
	const d = parseDuration(v);
	if (d !== undefined) return d;
	const t = parseDateValue(v);
	return t === undefined ? undefined : Math.max(0, t - now);
}

export function readRateHeaders(h: Record<string, string>, o: ReadRateHeadersOptions): RateObservation {
	const { now } = o;
	const windows: RateWindow[] = [];
	const sources: string[] = [];
	let daily: DailyQuota | undefined;
	const reset = (header: string): number | undefined => {
		const v = h[header];
		if (v === undefined) return undefined;
		const spec = o.resetHeaders?.find((s) => s.header === header);
		if (spec && spec.format !== 'windowMs') {
			const p = parseResetHeader(spec.format, v, now);
			return p.ok ? p.waitMs : undefined;
		}
		return guessResetMs(v, now);
	};
	const add = (source: string, w: RateWindow) => {
		windows.push(w);
		if (!sources.includes(source)) sources.push(source);
	};

	// HubSpot: a rolling window (Max per Interval-Milliseconds) and a daily quota reset at the account's midnight.
	const hsMax = num(h['x-hubspot-ratelimit-max']);
	const hsLeft = num(h['x-hubspot-ratelimit-remaining']);
	if (hsLeft !== undefined) add('x-hubspot-ratelimit', { name: 'interval', unit: 'requests', remaining: hsLeft, limit: hsMax, windowMs: num(h['x-hubspot-ratelimit-interval-milliseconds']) ?? 10_000 });
	const hsSec = num(h['x-hubspot-ratelimit-secondly-remaining']);
	if (hsSec !== undefined) add('x-hubspot-ratelimit', { name: 'secondly', unit: 'requests', remaining: hsSec, limit: num(h['x-hubspot-ratelimit-secondly']), windowMs: 1000 });
	const hsDay = num(h['x-hubspot-ratelimit-daily']);
	const hsDayLeft = num(h['x-hubspot-ratelimit-daily-remaining']);
	if (hsDay && hsDayLeft !== undefined) {
		const zone = o.accountTimeZone && isValidTimeZone(o.accountTimeZone) ? o.accountTimeZone : 'UTC';
		daily = { limit: hsDay, remaining: hsDayLeft, resetInMs: nextMidnightIn(zone, now) - now, source: 'x-hubspot-ratelimit-daily' };
	}

	// Salesforce: used/limit of the rolling 24 h allocation, no reset time.
	const sf = /api-usage=(\d+)\/(\d+)/.exec(h['sforce-limit-info'] ?? '');
	if (sf && Number(sf[2]) > 0) daily = { limit: Number(sf[2]), remaining: Math.max(0, Number(sf[2]) - Number(sf[1])), source: 'sforce-limit-info' };

	// IETF RateLimit / RateLimit-Policy (structured fields, or the older limit/remaining/reset forms).
	for (const w of parseIetfRateLimit(h)) {
		if (w.windowMs !== undefined && w.windowMs >= DAY_MS && w.limit) daily = { limit: w.limit, remaining: w.remaining, resetInMs: w.resetInMs, source: 'ratelimit' };
		else add('ratelimit', w);
	}

	// X-RateLimit-* (epoch, seconds or duration resets), OpenAI's -requests/-tokens, Anthropic's RFC 3339 resets.
	for (const [prefix, source] of [['x-ratelimit', 'x-ratelimit'], ['x-rate-limit', 'x-rate-limit'], ['anthropic-ratelimit', 'anthropic-ratelimit']] as const) {
		const plain = num(h[`${prefix}-remaining`]);
		if (plain !== undefined && prefix !== 'anthropic-ratelimit') {
			// Zendesk's X-Rate-Limit is per minute.
			const limit = num(h[`${prefix}-limit`]) ?? (prefix === 'x-rate-limit' ? num(h['x-rate-limit']) : undefined);
			add(source, { name: 'requests', unit: 'requests', remaining: plain, limit, resetInMs: reset(`${prefix}-reset`), windowMs: prefix === 'x-rate-limit' && h['x-rate-limit'] ? 60_000 : undefined });
		}
		for (const kind of ['requests', 'tokens', 'input-tokens', 'output-tokens']) {
			const left = num(h[prefix === 'anthropic-ratelimit' ? `${prefix}-${kind}-remaining` : `${prefix}-remaining-${kind}`]);
			if (left === undefined) continue;
			const limit = num(h[prefix === 'anthropic-ratelimit' ? `${prefix}-${kind}-limit` : `${prefix}-limit-${kind}`]);
			const r = reset(prefix === 'anthropic-ratelimit' ? `${prefix}-${kind}-reset` : `${prefix}-reset-${kind}`);
			add(source, { name: kind, unit: kind === 'requests' ? 'requests' : 'tokens', remaining: left, limit: limit || undefined, resetInMs: r });
		}
		// Per-period windows (ZoomInfo -Second/-Hour/-Day, Salesloft remaining-minute).
		for (const [period, ms] of [['second', 1000], ['minute', 60_000], ['hour', 3_600_000], ['day', DAY_MS]] as const) {
			const left = num(h[`${prefix}-remaining-${period}`] ?? h[`${prefix}-remaining-per-${period}`]);
			if (left === undefined) continue;
			const limit = num(h[`${prefix}-limit-${period}`] ?? h[`${prefix}-limit-per-${period}`]);
			if (period === 'day' && limit) daily = { limit, remaining: left, source: `${prefix}-*-day` };
			else add(source, { name: period, unit: 'requests', remaining: left, limit, windowMs: ms });
		}
	}

	// Apollo: minute / hourly / 24-hour counters (rolling; no reset sent).
	for (const [limitH, leftH, name, ms] of [
		['x-rate-limit-minute', 'x-minute-requests-left', 'minute', 60_000],
		['x-rate-limit-hourly', 'x-hourly-requests-left', 'hour', 3_600_000],
	] as const) {
		const left = num(h[leftH]);
		if (left !== undefined) add('apollo', { name, unit: 'requests', remaining: left, limit: num(h[limitH]), windowMs: ms });
	}
	const dayLeft = num(h['x-24-hour-requests-left'] ?? h['x-daily-requests-left']);
	if (dayLeft !== undefined) {
		const limit = num(h['x-rate-limit-24-hour'] ?? h['x-rate-limit-daily']);
		// Without a limit only "none left" is usable (Pipedrive's POST/PUT allowance): a quota of one, used up.
		if (limit) daily = { limit, remaining: dayLeft, source: 'x-24-hour-requests-left' };
		else if (dayLeft === 0) daily = { limit: 1, remaining: 0, source: 'x-daily-requests-left' };
	}

	const obs: RateObservation = { windows, sources };
	if (daily) {
		obs.daily = daily;
		sources.push(daily.source);
	}
	if ((o.status === 429 || o.status === 503) && (h['retry-after'] !== undefined || h['retry-after-ms'] !== undefined)) {
		const ra = h['retry-after-ms'] !== undefined ? parseRetryAfterMs(h['retry-after-ms']) : parseRetryAfter(h['retry-after'], now, h.date);
		if (ra.ok && ra.waitMs > 0) {
			obs.pauseMs = ra.waitMs;
			sources.push('retry-after');
		}
	}
	return obs;
}
