// Prints the README's preset table from the preset data itself, so the docs cannot drift from the code.
// `--check README.md` exits 1 when the README's table differs from what the data says.
import { readFileSync } from 'node:fs';
import { listPresets, resolvePolicy } from '../src/index';

const START = '<!-- presets:start -->';
const END = '<!-- presets:end -->';

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
		console.log(presetTable());
	} else {
		const readme = readFileSync(process.argv[i + 1] ?? 'README.md', 'utf8');
		const inside = readme.slice(readme.indexOf(START) + START.length, readme.indexOf(END)).trim();
		if (inside !== presetTable()) {
			console.error('README preset table is out of date: run `npx tsx scripts/presets-doc.ts` and paste it between the markers');
			process.exit(1);
		}
	}
}
