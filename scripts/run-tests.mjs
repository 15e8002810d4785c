#!/usr/bin/env node
// Runs node's built-in test runner over test/<suite>/**/*.test.ts with tsx, one suite list per npm script.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const suites = process.argv.slice(2);
const files = [];
function walk(dir) {
	for (const name of readdirSync(dir).sort()) {
		const p = join(dir, name);
		if (statSync(p).isDirectory()) walk(p);
		else if (name.endsWith('.test.ts')) files.push(p);
	}
}
for (const s of suites) {
	try {
		walk(join('test', s));
	} catch {
		/* a suite folder that does not exist yet holds no tests */
	}
}
if (files.length === 0) {
	console.error(`no test files under test/{${suites.join(',')}}`);
	process.exit(1);
}
const extra = process.env.TEST_CONCURRENCY ? [`--test-concurrency=${process.env.TEST_CONCURRENCY}`] : [];
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...extra, ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
