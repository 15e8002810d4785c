// Prints the README's preset tables (retry policy and rate limits) from the preset data itself, so the docs cannot
// drift from the code. `--check README.md` exits 1 when a table in the README differs from what the data says.
import { readFileSync } from 'node:fs';
import { listPresets, rateLimitTableMarkdown, resolvePolicy } from '../src/index';

/** Each generated table and the markers it sits between in the README. */
export const TABLES: Array<{ start: string; end: string; render: () => string }> = [
	{ start: '<!-- presets:start -->', end: '<!-- presets:end -->', render: () => presetTable() },
	{ start: '<!-- ratelimits:start -->', end: '<!-- ratelimits:end -->', render: () => rateLimitTableMarkdown() },
];

/** The text between one table's markers. */
export function between(readme: string, t: { start: string; end: string }): string {
	const a = readme.indexOf(t.start);
	const b = readme.indexOf(t.end);
	return a < 0 || b < 0 ? '' : readme.slice(a + t.start.length, b).trim();
}

function seconds(ms: number): string {
	return `${ms / 1000} s`;
}

export function presetTable(): string {
	const rows = [
		'| preset | platform | attempts | base / max delay | longest in-process wait | retry window | headers read | idempotency | body rules |',
		'|---|---|---|---|---|---|---|---|---|',
	];
	for (const p of listPresets()) {
		const pol = resolvePolicy(p);
		const headers = (p.resetHeaders ?? []).map((h) => `\`${h.header}\``).join(', ') || 'Retry-After';
		const idem = p.idempotencyHeader
			? `\`${p.idempotencyHeader}\` header`
			: p.idempotentRoutes?.length
				? `${p.idempotentRoutes.length} safe-to-repeat routes`
				: 'none (POST/PATCH not retried when ambiguous)';
		const rules = p.rules.map((r) => `\`${r.id}\``).join(', ');
		rows.push(
			`| \`${p.name}\` | ${p.title} | ${pol.maxAttempts} | ${seconds(pol.baseDelayMs)} / ${seconds(pol.maxDelayMs)} | ${seconds(pol.maxServerWaitMs)} | ${seconds(pol.maxRetryWindowMs)} | ${headers} | ${idem} | ${rules} |`,
		);
	}
	return rows.join('\n');
}

if (require.main === module) {
	const i = process.argv.indexOf('--check');
	if (i < 0) {
		for (const t of TABLES) console.log(`${t.start}\n${t.render()}\n${t.end}\n`);
	} else {
		const readme = readFileSync(process.argv[i + 1] ?? 'README.md', 'utf8');
		const stale = TABLES.filter((t) => between(readme, t) !== t.render());
		if (stale.length) {
			console.error(`README tables out of date (${stale.map((t) => t.start).join(', ')}): run \`npx tsx scripts/presets-doc.ts\` and paste each between its markers`);
			process.exit(1);
		}
	}
}
