// Installs the built package into an n8n user folder the way users do, from a tarball made by `npm pack`.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cleanNpmEnv } from './install.mjs';

function npm(args, cwd) {
	return new Promise((res, rej) => {
		const child = spawn('npm', args, { cwd, env: cleanNpmEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		let err = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (err += d));
		child.on('close', (code) =>
			code === 0 ? res(out) : rej(new Error(`n8n-host: npm ${args.join(' ')} failed (exit ${code}) in ${cwd}\n${err.slice(-3000)}`)),
		);
	});
}

/**
 * method 'npm': `npm install <tarball>` in <userFolder>/.n8n/nodes (the documented manual install).
 * method 'ui': what n8n's Community Nodes screen does: unpack into nodes/node_modules/<name>, drop dev and peer
 * dependencies, then install the remaining dependencies inside the package folder.
 */
export async function packAndInstall({ dir, userFolder, method = 'npm' }) {
	const started = Date.now();
	const packDir = join(userFolder, 'pack');
	mkdirSync(packDir, { recursive: true });
	if (!existsSync(join(dir, 'dist'))) throw new Error(`n8n-host: ${dir}/dist is missing: run \`npm run build\` first`);
	const packed = JSON.parse(await npm(['pack', '--json', '--ignore-scripts', `--pack-destination=${packDir}`], dir));
	const { name, version, filename } = packed[0];
	const tarball = join(packDir, filename.replace(/^@/, '').replace(/\//, '-'));
	// Same tarball, same method → one installed folder, shared read-only by every host through a symlink.
	const sha = createHash('sha256').update(readFileSync(tarball)).digest('hex').slice(0, 16);
	const cacheDir = join(dirname(userFolder), 'nodes-cache');
	const cached = join(cacheDir, `${name.replace('/', '+')}-${sha}-${method}`);
	const hit = existsSync(cached);
	if (!hit) {
		const tmp = `${cached}.${process.pid}.tmp`;
		rmSync(tmp, { recursive: true, force: true });
		await installInto(tmp, { name, version, tarball, method });
		try {
			renameSync(tmp, cached);
		} catch {
			rmSync(tmp, { recursive: true, force: true }); // another process cached it first
		}
		pruneCache(cacheDir, `${name.replace('/', '+')}-`, cached);
	}
	const now = new Date();
	utimesSync(cached, now, now);
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	mkdirSync(nodesDir, { recursive: true });
	cpSync(join(cached, 'package.json'), join(nodesDir, 'package.json'));
	symlinkSync(join(cached, 'node_modules'), join(nodesDir, 'node_modules'), 'dir');
	const installDir = join(nodesDir, 'node_modules', name);
	return { name, version, tarball, installDir, method, cached: hit, durationMs: Date.now() - started };
}

async function installInto(nodesDir, { name, version, tarball, method }) {
	mkdirSync(nodesDir, { recursive: true });
	const pj = join(nodesDir, 'package.json');
	writeFileSync(pj, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
	const common = ['--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'];
	const installDir = join(nodesDir, 'node_modules', name);
	if (method === 'npm') {
		await npm(['install', ...common, tarball], nodesDir);
	} else if (method === 'ui') {
		mkdirSync(installDir, { recursive: true });
		await run('tar', ['-xzf', tarball, '-C', installDir, '--strip-components=1']);
		const meta = JSON.parse(readFileSync(join(installDir, 'package.json'), 'utf8'));
		delete meta.devDependencies;
		delete meta.peerDependencies;
		delete meta.optionalDependencies;
		writeFileSync(join(installDir, 'package.json'), JSON.stringify(meta, null, 2));
		await npm(['install', ...common, '--bin-links=false', '--install-strategy=shallow', '--package-lock=false'], installDir);
	} else {
		throw new Error(`n8n-host: unknown install method ${method}`);
	}
	const top = JSON.parse(readFileSync(pj, 'utf8'));
	top.dependencies = { ...top.dependencies, [name]: version };
	writeFileSync(pj, JSON.stringify(top, null, 2));
}

// Installs of older builds, unused for an hour, are dropped (an hour leaves hosts still using them alone).
function pruneCache(cacheDir, prefix, keep) {
	for (const entry of readdirSync(cacheDir)) {
		const p = join(cacheDir, entry);
		if (!entry.startsWith(prefix) || p === keep) continue;
		try {
			if (Date.now() - statSync(p).mtimeMs > 3600_000) rmSync(p, { recursive: true, force: true });
		} catch {
			/* removed meanwhile */
		}
	}
}

function run(cmd, args) {
	return new Promise((res, rej) => {
		const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
		let err = '';
		child.stderr.on('data', (d) => (err += d));
		child.on('close', (code) => (code === 0 ? res() : rej(new Error(`${cmd} failed: ${err}`))));
	});
}
