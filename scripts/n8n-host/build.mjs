// Builds the package only when dist/ is missing or older than a source, once even if several test files ask at once.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanNpmEnv } from './install.mjs';

function newest(dir, skip = new Set(['node_modules'])) {
	let t = 0;
	if (!existsSync(dir)) return t;
	for (const e of readdirSync(dir, { withFileTypes: true })) {
		if (skip.has(e.name)) continue;
		const p = join(dir, e.name);
		t = Math.max(t, e.isDirectory() ? newest(p, skip) : statSync(p).mtimeMs);
	}
	return t;
}

export function isBuildStale(packageDir) {
	const dist = join(packageDir, 'dist');
	if (!existsSync(dist)) return true;
	const sources = Math.max(
		...['src', 'nodes', 'credentials'].map((d) => newest(join(packageDir, d))),
		statSync(join(packageDir, 'package.json')).mtimeMs,
	);
	return sources > newest(dist);
}

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** Runs `npm run build` in packageDir when dist/ is stale; returns whether it built. Throws with the build output on failure. */
export function ensureBuilt(packageDir, { log = (m) => console.error(m) } = {}) {
	if (process.env.N8N_HOST_SKIP_BUILD === '1') return false; // the caller vouches for dist/
	const lock = join(packageDir, '.tmp', 'build.lock');
	mkdirSync(join(packageDir, '.tmp'), { recursive: true });
	for (;;) {
		try {
			mkdirSync(lock);
			writeFileSync(join(lock, 'pid'), String(process.pid));
			break;
		} catch {
			let pid = 0;
			try {
				pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
			} catch {
				/* being written */
			}
			if (pid && !pidAlive(pid)) rmSync(lock, { recursive: true, force: true });
			else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
		}
	}
	try {
		if (!isBuildStale(packageDir)) return false;
		log('n8n-host: dist/ is missing or stale, running npm run build…');
		const r = spawnSync('npm', ['run', 'build'], { cwd: packageDir, env: cleanNpmEnv(), encoding: 'utf8' });
		if (r.status !== 0) throw new Error(`npm run build failed (exit ${r.status})\n${r.stdout}\n${r.stderr}`);
		return true;
	} finally {
		rmSync(lock, { recursive: true, force: true });
	}
}
