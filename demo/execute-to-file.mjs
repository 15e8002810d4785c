// Runs `n8n execute --rawOutput` with stdout going to a file, not a pipe: n8n exits right after logging the run, and a
// run of 4,000 items (tens of MB) written to a pipe is cut off at exit; file writes are synchronous and complete.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureN8n, freePort, nodeItems, parseRunOutput } from '../scripts/n8n-host.mjs';

/** Same answer shape as host.execute: { ok, code, run, error, items(node, out), stdout, stderr, durationMs }. */
export async function executeToFile(host, id, { timeoutMs = 20 * 60_000 } = {}) {
	const n8n = await ensureN8n({ version: host.version, log: () => {} });
	const outFile = join(host.userFolder, `execute-${id}.out`);
	const errFile = join(host.userFolder, `execute-${id}.err`);
	const out = openSync(outFile, 'w');
	const err = openSync(errFile, 'w');
	const started = Date.now();
	const env = { ...host.env, N8N_RUNNERS_BROKER_PORT: String(await freePort()), N8N_LOG_OUTPUT: 'console' };
	const child = spawn(n8n.nodePath, [n8n.bin, 'execute', `--id=${id}`, '--rawOutput'], { cwd: host.userFolder, env, stdio: ['ignore', out, err], detached: true });
	const timer = setTimeout(() => {
		try {
			process.kill(-child.pid, 'SIGKILL');
		} catch {
			/* already gone */
		}
	}, timeoutMs);
	const code = await new Promise((res) => child.on('close', (c) => res(c)));
	clearTimeout(timer);
	closeSync(out);
	closeSync(err);
	const stdout = readFileSync(outFile, 'utf8');
	const stderr = readFileSync(errFile, 'utf8');
	rmSync(outFile, { force: true });
	rmSync(errFile, { force: true });
	const run = parseRunOutput(stdout);
	return {
		ok: code === 0 && run?.status === 'success',
		code,
		run,
		error: run?.data?.resultData?.error,
		items: (node, output = 0) => nodeItems(run, node, output),
		stdout,
		stderr,
		durationMs: Date.now() - started,
	};
}
