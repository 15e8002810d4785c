// The README is the front door: its preset table must match the preset data, and its commands must exist.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TABLES, between, presetTable } from '../../scripts/presets-doc';
import { listPresets } from '../../src/index';

const readme = readFileSync('README.md', 'utf8');
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

test('README preset and rate-limit tables are generated from the preset data', () => {
	for (const t of TABLES) assert.equal(between(readme, t), t.render(), `${t.start} table is stale: run npx tsx scripts/presets-doc.ts`);
	assert.ok(presetTable().length > 0);
	for (const p of listPresets()) {
		assert.match(readme, new RegExp(`\\| \`${p.name}\` \\|`));
		assert.match(between(readme, TABLES[1]), new RegExp(`^\\| ${p.name} \\|`, 'm'), `${p.name} has no rate-limit row`);
	}
});

test('every npm script the README names exists in package.json', () => {
	const named = [...readme.matchAll(/npm run ([a-z0-9:]+)/g)].map((m) => m[1]);
	assert.ok(named.length >= 4);
	for (const n of named) assert.ok(pkg.scripts[n], `README names "npm run ${n}" but package.json has no such script`);
});

test('the example workflow the README points at uses the package node type', () => {
	const wf = JSON.parse(readFileSync('examples/lead-pipeline.json', 'utf8'));
	const types = wf.nodes.map((n: { type: string }) => n.type);
	assert.ok(types.filter((t: string) => t === 'n8n-nodes-resilience.resilientHttp').length >= 3);
});
