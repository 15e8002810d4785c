// The only place that builds state stores from node parameters and credentials (embedded, Redis, Redis with fallback).
import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	DEFAULT_KEY_PREFIX,
	EmbeddedBreakerStore,
	FallbackBreakerStore,
	GLOBAL_NAMESPACE,
	RedisBreakerStore,
	namespaceFor,
	sharedRedisClient,
	type BreakerSnapshot,
	type BreakerStore,
	type RedisConnectionOptions,
} from '../../src/store';
import { ConfigError } from './configError';
import { redisConnectionOf, redisState } from './redisState';
import { messageOf } from './errors';

export const REDIS_CREDENTIAL = 'resilienceRedisApi';
/** Key in the workflow's static data under which embedded snapshots live, one per namespace. */
export const STATIC_DATA_KEY = 'resilienceBreakers';

export type StateBackend = 'embedded' | 'redis';
export type OnUnreachable = 'fail' | 'fallback';

export interface StoreSettings {
	backend: StateBackend;
	scope: 'workflow' | 'global';
	globalName?: string;
	onUnreachable: OnUnreachable;
}

/** What output items say about where the state lives and whether Redis was skipped. */
export interface StoreInfo extends IDataObject {
	backend: StateBackend;
	namespace: string;
	onUnreachable?: OnUnreachable;
	fellBack?: boolean;
	warning?: string;
	/** Embedded only: false in manual runs, whose static data n8n does not save. */
	stateSaved?: boolean;
}

export interface BuiltStore {
	store: BreakerStore;
	/** The current facts for output items (fellBack turns true once any call was answered by the fallback). */
	info(): StoreInfo;
	/** Writes the embedded snapshot into the workflow's static data (n8n saves it after non-manual runs). */
	persist(): void;
	/** A store-unreachable error as a message a user can act on. */
	explain(e: unknown): string;
}

export const STATIC_DATA_NOTICE =
	'Embedded state lives in this n8n process and is copied into the workflow\'s static data, which n8n saves only after production runs (trigger, webhook, schedule, CLI) — not after manual test runs. In queue mode every worker has its own embedded state: pick Redis to share breakers across workers.';

/** Backend, sharing and unreachable-policy parameters; `show` adds the caller's displayOptions conditions. */
export function stateStoreProperties(show: Record<string, unknown[]> = {}): INodeProperties[] {
	const when = (extra: Record<string, unknown[]> = {}) => ({ show: { ...show, ...extra } as Record<string, Array<string | boolean>> });
	return [
		{
			displayName: 'State Backend',
			name: 'stateBackend',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Embedded (This N8n Process)', value: 'embedded', description: 'In memory, saved to the workflow\'s static data' },
				{ name: 'Redis', value: 'redis', description: 'Shared by every n8n process and queue-mode worker' },
			],
			default: 'embedded',
			description: 'Where breaker state is kept',
			...(Object.keys(show).length ? { displayOptions: when() } : {}),
		},
		{
			displayName: STATIC_DATA_NOTICE,
			name: 'embeddedStateNotice',
			type: 'notice',
			default: '',
			displayOptions: when({ stateBackend: ['embedded'] }),
		},
		{
			displayName: 'On Store Unreachable',
			name: 'onStoreUnreachable',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Fail the Items With a Clear Error', value: 'fail' },
				{ name: 'Fall Back to Embedded State and Warn', value: 'fallback' },
			],
			default: 'fail',
			description: 'What happens when Redis cannot be reached; the choice and any fallback show in the output',
			displayOptions: when({ stateBackend: ['redis'] }),
		},
		{
			displayName: 'Share State',
			name: 'stateScope',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Per Workflow', value: 'workflow', description: 'Only this workflow\'s nodes see these breakers' },
				{ name: 'Under a Global Name', value: 'global', description: 'Every workflow using the same name shares them' },
			],
			default: 'workflow',
			description: 'Which workflows share these breakers',
			...(Object.keys(show).length ? { displayOptions: when() } : {}),
		},
		{
			displayName: 'Global Name',
			name: 'stateNamespace',
			type: 'string',
			default: GLOBAL_NAMESPACE,
			description: 'Workflows that use the same name share breakers (with Redis: across all of n8n)',
			displayOptions: when({ stateScope: ['global'] }),
		},
	];
}

/** The namespace keys live under: "wf:<id>" by default, the chosen global name otherwise. */
export function namespaceOf(s: StoreSettings, workflowId: string | undefined): string {
	if (s.scope !== 'global') return namespaceFor('workflow', workflowId);
	const name = String(s.globalName ?? '').trim();
	if (/^wf:/.test(name)) throw new ConfigError('stateNamespace', 'A global name must not start with "wf:" (reserved for per-workflow state)');
	return name || GLOBAL_NAMESPACE;
}

export function parseStoreSettings(raw: { backend?: unknown; scope?: unknown; globalName?: unknown; onUnreachable?: unknown }): StoreSettings {
	const backend = String(raw.backend ?? 'embedded');
	if (backend !== 'embedded' && backend !== 'redis') throw new ConfigError('stateBackend', `Unknown state backend "${backend}"`);
	const scope = String(raw.scope ?? 'workflow');
	if (scope !== 'workflow' && scope !== 'global') throw new ConfigError('stateScope', `Unknown sharing "${scope}"`);
	const onUnreachable = String(raw.onUnreachable ?? 'fail');
	if (onUnreachable !== 'fail' && onUnreachable !== 'fallback') throw new ConfigError('onStoreUnreachable', `Unknown choice "${onUnreachable}"`);
	return { backend, scope, globalName: raw.globalName === undefined ? undefined : String(raw.globalName), onUnreachable };
}

/** The credential's fields as the engine's connection options. */
export function redisConnectionFrom(c: ICredentialDataDecryptedObject): RedisConnectionOptions & { keyPrefix: string } {
	const port = Number(c.port ?? 6379);
	const database = Number(c.database ?? 0);
	if (!String(c.host ?? '').trim()) throw new ConfigError('credentials', 'The Resilience Redis credential has no host');
	if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ConfigError('credentials', `Port ${String(c.port)} is not a TCP port`);
	if (!Number.isInteger(database) || database < 0) throw new ConfigError('credentials', `Database ${String(c.database)} is not a number ≥ 0`);
	return {
		host: String(c.host).trim(),
		port,
		database,
		user: c.user ? String(c.user) : undefined,
		password: c.password ? String(c.password) : undefined,
		tls: c.tls === true,
		keyPrefix: String(c.keyPrefix ?? '').trim() || DEFAULT_KEY_PREFIX,
	};
}

function readSnapshot(data: IDataObject, namespace: string): BreakerSnapshot | undefined {
	const all = data[STATIC_DATA_KEY] as Record<string, BreakerSnapshot> | undefined;
	const snap = all && typeof all === 'object' ? all[namespace] : undefined;
	// n8n wraps static data in a proxy that structuredClone (used by restore) cannot copy: hand over plain JSON.
	return snap ? (JSON.parse(JSON.stringify(snap)) as BreakerSnapshot) : undefined;
}

export async function buildBreakerStore(ctx: IExecuteFunctions, s: StoreSettings): Promise<BuiltStore> {
	const workflowId = ctx.getWorkflow().id;
	const namespace = namespaceOf(s, workflowId === undefined ? undefined : String(workflowId));
	// 'global' static data: check and record are different nodes of one workflow and must read the same snapshot.
	const staticData = ctx.getWorkflowStaticData('global');
	const embedded = new EmbeddedBreakerStore({ namespace, initialState: readSnapshot(staticData, namespace) });
	const stateSaved = ctx.getMode() !== 'manual';
	const persist = () => {
		const prev = (staticData[STATIC_DATA_KEY] as IDataObject | undefined) ?? {};
		const next = embedded.snapshot() as unknown as IDataObject;
		// Assigning marks static data changed and n8n writes the workflow row: skip it when nothing moved.
		if (JSON.stringify(prev[namespace]) === JSON.stringify(next)) return;
		staticData[STATIC_DATA_KEY] = { ...prev, [namespace]: next };
	};
	if (s.backend === 'embedded') {
		return {
			store: embedded,
			info: () => ({ backend: 'embedded', namespace, stateSaved }),
			persist,
			explain: messageOf,
		};
	}

	const conn = await redisConnectionOf((type) => ctx.getCredentials(type));
	const redis = new RedisBreakerStore(sharedRedisClient(conn), { prefix: conn.keyPrefix, namespace });
	const r = redisState<BreakerStore>({
		settings: s,
		namespace,
		conn,
		what: 'Circuit breaker state',
		redis,
		withFallback: (onFallback) => new FallbackBreakerStore(redis, embedded, { onFallback }),
		fallbackCost: 'which other workers do not see',
		stateSaved,
	});
	return { store: r.store, info: r.info, explain: r.explain, persist: () => (r.fellBack() ? persist() : undefined) };
}
