// The command line of scripts/n8n-host.mjs: ensure | run <workflow.json> [--package] | nodes [--package].
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureN8n } from './install.mjs';
import { outputCounts } from './output.mjs';

export async function cli(argv, createHost) {
	const [cmd, ...rest] = argv;
	const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
	if (cmd === 'ensure') {
		const r = await ensureN8n({});
		console.log(`n8n ${r.version} ready: ${r.bin}`);
		return 0;
	}
	if (cmd === 'run' || cmd === 'nodes') {
		const host = await createHost({ packageDir: repo });
		try {
			if (rest.includes('--package')) console.error(JSON.stringify(await host.installPackage()));
			if (cmd === 'nodes') {
				for (const t of await host.exportNodeTypes()) if (!t.name.startsWith('n8n-nodes-base.') && !t.name.startsWith('@n8n/')) console.log(t.name);
				return 0;
			}
			const id = await host.importWorkflow(resolve(rest.find((a) => !a.startsWith('--'))));
			const r = await host.execute(id);
			console.log(JSON.stringify({ ok: r.ok, durationMs: r.durationMs, outputs: outputCounts(r.run), error: r.error?.message }, null, 2));
			return r.ok ? 0 : 1;
		} finally {
			await host.cleanup();
		}
	}
	console.error('usage: node scripts/n8n-host.mjs ensure | run <workflow.json> [--package] | nodes [--package]');
	return 2;
}
