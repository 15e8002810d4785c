// The limits table as Markdown rows, so the README can list what each preset's limiter sets (generated, not retyped).
import { DEFAULT_DAILY_RESERVE } from './bucket';
import { RATE_LIMITS } from './limits';
import type { BucketSpec } from './types';

const fmt = (b: BucketSpec) => (b.ratePerSec > 0 ? `${b.ratePerSec}/s, burst ${b.burst}` : 'from headers only');

export function rateLimitTableMarkdown(): string {
	const rows = ['| preset | proactive limit (per credential) | endpoint classes | tiers | daily reserve | shared by | source |', '|---|---|---|---|---|---|---|'];
	for (const [name, l] of Object.entries(RATE_LIMITS)) {
		const classes = (l.classes ?? []).map((c) => `${c.name}: ${fmt(c.bucket)}`).join('; ') || '—';
		const tiers = Object.entries(l.tiers ?? {}).map(([t, b]) => `${t}: ${fmt(b)}`).join('; ') || '—';
		const reserve = `${Math.round((l.bucket.dailyReserveShare ?? DEFAULT_DAILY_RESERVE) * 100)} %`;
		rows.push(`| ${name} | ${fmt(l.bucket)} | ${classes} | ${tiers} | ${reserve} | ${l.scope} | ${l.source} |`);
	}
	return rows.join('\n');
}
