// The node description n8n reads: every credential type is declared behind the authentication selector, outputs are named.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

// The .ts extension is explicit: a bare "….node" specifier resolves to a native addon.
import { ResilientHttp } from '../../nodes/ResilientHttp/ResilientHttp.node.ts';
import { AUTH_TYPES, isOAuth2Type } from '../../nodes/ResilientHttp/actions/authentication';
import { listPresets } from '../../src';

const d = new ResilientHttp().description;

describe('Resilient HTTP description', () => {
	it('is resilientHttp with two outputs, Success and Failed, and themed icons', () => {
		assert.equal(d.name, 'resilientHttp');
		assert.equal(d.displayName, 'Resilient HTTP');
		assert.deepEqual(d.outputNames, ['Success', 'Failed']);
		assert.equal((d.outputs as unknown[]).length, 2);
		assert.deepEqual(d.icon, { light: 'file:resilientHttp.svg', dark: 'file:resilientHttp.dark.svg' });
	});

	it('declares each credential type behind its own authentication option', () => {
		const auth = d.properties.find((p) => p.name === 'authentication')!;
		const options = (auth.options as { value: string }[]).map((o) => o.value);
		assert.equal(options[0], 'none');
		// The last two are the state backend's Redis credential and the dead-letter PostgreSQL credential.
		const auth2 = d.credentials!.slice(0, -2);
		assert.deepEqual(
			auth2.map((c) => c.name),
			options.slice(1),
		);
		for (const c of auth2) assert.deepEqual(c.displayOptions, { show: { authentication: [c.name] } });
		assert.deepEqual(d.credentials!.at(-2), {
			name: 'resilienceRedisApi',
			required: true,
			testedBy: 'resilienceRedisConnectionTest',
			displayOptions: { show: { stateBackend: ['redis'] } },
		});
		assert.deepEqual(d.credentials!.at(-1), {
			name: 'resiliencePostgresApi',
			required: true,
			testedBy: 'resiliencePostgresConnectionTest',
			displayOptions: { show: { deadLetter: [true], deadLetterBackend: ['postgres'] } },
		});
		for (const t of ['hubspotAppToken', 'hubspotOAuth2Api', 'salesforceOAuth2Api', 'slackApi', 'stripeApi', 'openAiApi', 'anthropicApi', 'oAuth2Api', 'httpHeaderAuth']) {
			assert.ok(options.includes(t), `${t} missing`);
		}
		assert.ok(isOAuth2Type('salesforceOAuth2Api') && !isOAuth2Type('stripeApi'));
	});

	it('uses credential type names that the installed n8n really registers', (t) => {
		const root = join(process.env.N8N_HOST_CACHE ?? join(homedir(), '.cache', 'n8n-nodes-resilience'), 'n8n-2.8.4', 'node_modules');
		const dirs = [join(root, 'n8n-nodes-base', 'dist', 'credentials'), join(root, '@n8n', 'n8n-nodes-langchain', 'dist', 'credentials')];
		if (!dirs.every(existsSync)) return t.skip('n8n 2.8.4 is not installed in the host cache');
		const known = new Set<string>();
		for (const dir of dirs) {
			for (const f of readdirSync(dir).filter((n) => n.endsWith('.credentials.js'))) {
				const m = /name = '([^']+)'/.exec(readFileSync(join(dir, f), 'utf8'));
				if (m) known.add(m[1]);
			}
		}
		for (const a of AUTH_TYPES) assert.ok(known.has(a.type), `n8n has no credential type "${a.type}"`);
	});

	it('offers every engine preset and shows one notice per preset', () => {
		const preset = d.properties.find((p) => p.name === 'preset')!;
		const names = listPresets().map((p) => p.name);
		assert.deepEqual((preset.options as { value: string }[]).map((o) => o.value), names);
		for (const name of names) {
			const notices = d.properties.filter((p) => p.type === 'notice' && p.displayOptions?.show?.preset?.[0] === name);
			assert.equal(notices.length, 1, name);
			assert.match(notices[0].displayName, /attempts/);
		}
	});

	it('has unique parameter names and a default on every parameter', () => {
		// State parameters appear up to four times (breaker on / guard alone / rate limiter alone / dead letters alone),
		// never two shown at once: some switch has disjoint values in each pair.
		const shown = (p: (typeof d.properties)[number]) => JSON.stringify(['circuitBreaker', 'idempotencyGuard', 'rateLimit', 'deadLetter'].map((k) => p.displayOptions?.show?.[k] ?? null));
		const names = d.properties.map((p) => `${p.name}:${shown(p)}`);
		assert.equal(new Set(names).size, names.length);
		const exclusive = (a: string, b: string) => {
			const [x, y] = [JSON.parse(a), JSON.parse(b)] as (unknown[] | null)[][];
			return x.some((v, k) => v && y[k] && !v.some((value) => y[k]!.includes(value)));
		};
		for (const p of d.properties) {
			for (const q of d.properties.filter((x) => x !== p && x.name === p.name)) assert.ok(exclusive(shown(p), shown(q)), `${p.name} is declared twice without exclusive displayOptions`);
		}
		assert.equal(d.properties.filter((p) => p.name === 'stateBackend').length, 4);
		for (const p of d.properties) assert.ok('default' in p, p.name);
		const options = d.properties.find((p) => p.name === 'options')!.options as { name: string; default: unknown }[];
		const concurrency = options.find((o) => o.name === 'concurrency')!;
		assert.equal(concurrency.default, 5);
	});
});
