// Process plumbing for the n8n host: env, free ports, ids, killing process groups, clipping long output.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { cleanNpmEnv } from './install.mjs';

export const ENCRYPTION_KEY = 'n8n-nodes-resilience-host-key-not-secret';

export const live = new Set();
process.on('exit', () => {
	for (const c of live) killGroup(c, 'SIGKILL');
});

export function killGroup(child, signal) {
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			/* already gone */
		}
	}
}

export function freePort() {
	return new Promise((res, rej) => {
		const s = createServer();
		s.unref();
		s.on('error', rej);
		s.listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => res(port));
		});
	});
}

export function newId() {
	const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	return [...randomBytes(16)].map((b) => abc[b % abc.length]).join('');
}

// Settings that keep n8n quiet, offline and isolated; inherited n8n settings are dropped so a developer's own n8n config never leaks in.
export function hostEnv(userFolder, extra) {
	const env = {};
	for (const [k, v] of Object.entries(cleanNpmEnv())) if (!/^(N8N_|DB_|EXECUTIONS_|QUEUE_|WEBHOOK_URL$)/.test(k)) env[k] = v;
	return {
		...env,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_SECURE_COOKIE: 'false',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		DB_TYPE: 'sqlite',
		DB_SQLITE_POOL_SIZE: '2',
		EXECUTIONS_TIMEOUT: '-1',
		N8N_LOG_LEVEL: 'info', // execute prints the run at level info: a quieter level would hide it
		N8N_LOG_OUTPUT: 'console,file',
		N8N_LOG_FILE_LOCATION: join(userFolder, 'n8n.log'),
		...extra,
	};
}

// Run output can be tens of MB; the transcript keeps its head and tail.
export function clip(s, max = 200_000) {
	return s.length <= max ? s : `${s.slice(0, max / 2)}\n…[${s.length - max} chars clipped]…\n${s.slice(-max / 2)}`;
}
