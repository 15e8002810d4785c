// IETF draft-ietf-httpapi-ratelimit-headers in its forms: RateLimit + RateLimit-Policy structured fields
// ("default";r=50;t=30 with "default";q=100;w=60), the older dictionary (limit=100, remaining=50, reset=30),
// and the separate RateLimit-Limit / -Remaining / -Reset headers (Zendesk sends these).
import type { RateWindow } from './types';

type Params = Record<string, string>;

/** `"name";a=1;b=2, "other";a=3` → [{ name, params }] (quoted or token names, tolerant of spaces). */
function parseList(v: string): Array<{ name: string; params: Params }> {
	const out: Array<{ name: string; params: Params }> = [];
	for (const member of v.split(',')) {
		const parts = member.split(';').map((s) => s.trim());
		const name = (parts.shift() ?? '').replace(/^"|"$/g, '');
		const params: Params = {};
		for (const p of parts) {
			const [k, val] = p.split('=');
			if (k && val !== undefined) params[k.trim().toLowerCase()] = val.trim().replace(/^"|"$/g, '');
		}
		out.push({ name, params });
	}
	return out;
}

const n = (v: string | undefined): number | undefined => {
	const x = v === undefined ? NaN : Number(v);
	return Number.isFinite(x) && x >= 0 ? x : undefined;
};

export function parseIetfRateLimit(h: Record<string, string>): RateWindow[] {
	const rl = h['ratelimit'];
	const out: RateWindow[] = [];
	if (rl !== undefined) {
		if (/(^|[,\s])remaining\s*=/.test(rl)) {
			// Older dictionary form: limit=100, remaining=50, reset=30
			const d: Params = {};
			for (const m of rl.matchAll(/(\w+)\s*=\s*"?([\w.]+)"?/g)) d[m[1].toLowerCase()] = m[2];
			const remaining = n(d.remaining);
			if (remaining !== undefined) out.push({ name: 'ratelimit', unit: 'requests', remaining, limit: n(d.limit), resetInMs: secs(d.reset) });
			return out;
		}
		const policies = new Map(parseList(h['ratelimit-policy'] ?? '').map((p) => [p.name, p.params]));
		for (const { name, params } of parseList(rl)) {
			const remaining = n(params.r);
			if (remaining === undefined) continue;
			const pol = policies.get(name) ?? {};
			const windowMs = secs(pol.w);
			const unit = (pol.qu ?? 'requests') === 'requests' ? 'requests' : 'tokens';
			out.push({ name: name || 'ratelimit', unit, remaining, limit: n(pol.q), windowMs, resetInMs: secs(params.t) });
		}
		return out;
	}
	const remaining = n(h['ratelimit-remaining']?.split(/[,;]/)[0].trim());
	if (remaining !== undefined) {
		const limitRaw = h['ratelimit-limit'] ?? '';
		const w = /w=(\d+)/.exec(limitRaw);
		out.push({ name: 'ratelimit', unit: 'requests', remaining, limit: n(limitRaw.split(/[,;]/)[0].trim()), resetInMs: secs(h['ratelimit-reset']), windowMs: w ? Number(w[1]) * 1000 : undefined });
	}
	return out;
}

function secs(v: string | undefined): number | undefined {
	const x = n(v);
	return x === undefined ? undefined : Math.round(x * 1000);
}
