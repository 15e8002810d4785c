// Test-side helpers over scripts/n8n-host.mjs: a real n8n with our built package installed, and workflow builders.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createHost, ensureBuilt, outputCounts, nodeItems } from '../../../scripts/n8n-host.mjs';

export const repoDir = resolve(__dirname, '..', '..', '..');
export { outputCounts, nodeItems };

export type Host = Awaited<ReturnType<typeof createHost>>;
export type ExecResult = Awaited<ReturnType<Host['execute']>>;

/** A fresh n8n user folder with the freshly built package installed; call host.cleanup() in an after() hook. */
export async function startHost(
	opts: { env?: Record<string, string>; method?: 'npm' | 'ui'; install?: boolean; version?: string; node?: number; postgres?: boolean } = {},
): Promise<Host> {
	ensureBuilt(repoDir);
	const { env = {}, version, node, postgres } = opts;
	const host = await createHost({ packageDir: repoDir, env, version, node, postgres, log: (m: string) => console.error(m) });
	if (opts.install !== false) await host.installPackage({ method: opts.method ?? 'npm' });
	return host;
}

const pkg = JSON.parse(readFileSync(join(repoDir, 'package.json'), 'utf8')) as {
	name: string;
	n8n: { nodes: string[]; credentials: string[] };
};
export const packageName = pkg.name;

/** Node types the package declares, read from the built dist files: [{ type: 'n8n-nodes-resilience.x', version, displayName }]. */
export function declaredNodeTypes(): { type: string; version: number; displayName: string }[] {
	const req = createRequire(join(repoDir, 'package.json'));
	return pkg.n8n.nodes.map((rel) => {
		const mod = req(join(repoDir, rel)) as Record<string, new () => { description: Record<string, unknown> }>;
		const Cls = Object.values(mod).find((v) => typeof v === 'function')!;
		const inst = new Cls() as { description: { name: string; displayName: string; version: number | number[]; defaultVersion?: number } };
		const d = inst.description;
		const version = d.defaultVersion ?? (Array.isArray(d.version) ? Math.max(...d.version) : d.version);
		return { type: `${pkg.name}.${d.name}`, version, displayName: d.displayName };
	});
}

export interface NodeSpec {
	name: string;
	type: string;
	typeVersion?: number;
	parameters?: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	extra?: Record<string, unknown>;
}

/**
 * A workflow from a Manual Trigger named "Start" plus nodes; links are [from, to, fromOutput?] (default: a chain).
 */
export function buildWorkflow(name: string, nodes: NodeSpec[], links?: [string, string, number?][]) {
	const all: NodeSpec[] = [{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1 }, ...nodes];
	const chain = links ?? all.slice(1).map((n, i) => [all[i].name, n.name, 0] as [string, string, number]);
	const connections: Record<string, { main: { node: string; type: 'main'; index: number }[][] }> = {};
	for (const [from, to, out = 0] of chain) {
		const c = (connections[from] ??= { main: [] });
		while (c.main.length <= out) c.main.push([]);
		c.main[out].push({ node: to, type: 'main', index: 0 });
	}
	return {
		name,
		nodes: all.map((n, i) => ({
			id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
			name: n.name,
			type: n.type,
			typeVersion: n.typeVersion ?? 1,
			position: [i * 220, 0],
			parameters: n.parameters ?? {},
			...(n.credentials ? { credentials: n.credentials } : {}),
			...(n.extra ?? {}),
		})),
		connections,
		settings: { executionOrder: 'v1' },
		active: false,
	};
}

/** Explains a failed execution in an assertion message: n8n's error plus the tail of what it printed. */
export function describeRun(r: ExecResult): string {
	const err = r.error as { message?: string; description?: string } | undefined;
	return `ok=${r.ok} code=${r.code} error=${err?.message ?? ''} ${err?.description ?? ''}\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`;
}
