// The wait a server asks for: retry-after-ms, Retry-After, a platform reset header, or a "try again in" hint.
import type { Preset, ResponseSnapshot } from '../types';
import { cachedRegex } from './matchRule';
import { parseDuration, parseResetHeader, parseRetryAfter, parseRetryAfterMs } from './timeFormats';

export interface ServerWait {
	waitMs?: number;
	/** Which header or hint gave the wait, for the reason line. */
	source?: string;
	warnings: string[];
}

function remainingIsZeroOrAbsent(headers: Record<string, string>, resetHeader: string): boolean {
	// Pair "x-ratelimit-reset-tokens" with "x-ratelimit-remaining-tokens" (and the like): use a reset only for an exhausted window.
	const remainingName = resetHeader.replace('reset', 'remaining');
	if (remainingName === resetHeader) return true;
	const v = headers[remainingName];
	return v === undefined || Number(v) <= 0;
}

export function readServerWait(response: ResponseSnapshot, preset: Preset | undefined, now: number, useResetHeaders: boolean): ServerWait {
	const h = response.headers;
	const warnings: string[] = [];
	const ms = h['retry-after-ms'];
	if (ms !== undefined) {
		const p = parseRetryAfterMs(ms);
		if (p.ok) return { waitMs: p.waitMs, source: 'retry-after-ms', warnings };
		warnings.push(p.warning);
	}
	const ra = h['retry-after'];
	if (ra !== undefined) {
		const p = parseRetryAfter(ra, now, h['date']);
		if (p.ok) return { waitMs: p.waitMs, source: 'Retry-After', warnings };
		warnings.push(p.warning);
	}
	let best: ServerWait | undefined;
	for (const spec of preset?.resetHeaders ?? []) {
		const v = h[spec.header];
		if (v === undefined) continue;
		if (!useResetHeaders && !(spec.statuses ?? [429]).includes(response.status)) continue;
		if (!remainingIsZeroOrAbsent(h, spec.header)) continue;
		const p = parseResetHeader(spec.format, v, now);
		if (!p.ok) {
			warnings.push(`${spec.header}: ${p.warning}`);
			continue;
		}
		if (!best || (best.waitMs ?? 0) < p.waitMs) best = { waitMs: p.waitMs, source: spec.header, warnings };
	}
	if (best) return best;
	if (preset?.bodyWaitHint && response.status >= 400) {
		const m = cachedRegex(preset.bodyWaitHint).exec(response.body);
		const d = m ? parseDuration(m[1] ?? '') : undefined;
		if (d !== undefined) return { waitMs: d, source: 'body hint', warnings };
	}
	return { warnings };
}
