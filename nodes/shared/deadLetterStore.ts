// The only place that builds dead-letter stores from node parameters and credentials: static data, Redis, PostgreSQL,
// or Redis/PostgreSQL with writes parked in static data while they are down.
import type { FunctionsBase, IDataObject } from 'n8n-workflow';

import {
	FallbackDeadLetterStore,
	PostgresDeadLetterStore,
	RedisDeadLetterStore,
	StaticDataDeadLetterStore,
	isDeadLetterCapacityError,
	postgresConnectionFrom,
	sharedPostgresPool,
	type DeadLetterSnapshot,
	type DeadLetterStore,
} from '../../src/deadletter';
import { isStoreUnavailableError, sharedRedisClient } from '../../src/store';
import { ConfigError } from './configError';
import { asConfigError, messageOf } from './errors';
import { redisConnectionOf } from './redisState';

export const POSTGRES_CREDENTIAL = 'resiliencePostgresApi';
/** Static-data key for writes parked while Redis/PostgreSQL is down; apart from the Static Data backend's own entries. */
export const PARKED_KEY = 'deadLettersParked';

export type DeadLetterBackend = 'staticData' | 'redis' | 'postgres';
export type DeadLetterUnreachable = 'fail' | 'fallback';

export interface DeadLetterSettings {
	backend: DeadLetterBackend;
	onUnreachable: DeadLetterUnreachable;
}

/** What output items say about where the dead letters live and whether a write was parked. */
export interface DeadLetterStoreInfo extends IDataObject {
	backend: DeadLetterBackend;
	where?: string;
	onUnreachable?: DeadLetterUnreachable;
	fellBack?: boolean;
	/** Entries waiting in this workflow's static data for the store to come back. */
	parked?: number;
	warning?: string;
	/** Static data only: false in manual runs, whose static data n8n does not save. */
	stateSaved?: boolean;
}

/** What a node, a trigger or a poll context offers that the builder needs. */
export type StoreHost = Pick<FunctionsBase, 'getCredentials' | 'getWorkflowStaticData'> & { getMode?: FunctionsBase['getMode'] };

export interface BuiltDeadLetters {
	store: DeadLetterStore;
	info(): DeadLetterStoreInfo;
	/** A store error as a message a user can act on. */
	explain(e: unknown): string;
	/** Fallback only: moves parked entries into the store if it answers again; returns a warning when some stay parked. */
	drain(): Promise<string | undefined>;
}

const BACKENDS: DeadLetterBackend[] = ['staticData', 'redis', 'postgres'];

export function parseDeadLetterSettings(raw: { backend?: unknown; onUnreachable?: unknown }, parameter = 'backend'): DeadLetterSettings {
	const backend = String(raw.backend ?? 'staticData') as DeadLetterBackend;
	if (!BACKENDS.includes(backend)) throw new ConfigError(parameter, `Unknown dead-letter backend "${backend}": use ${BACKENDS.join(', ')}`);
	const onUnreachable = String(raw.onUnreachable ?? 'fail');
	if (onUnreachable !== 'fail' && onUnreachable !== 'fallback') throw new ConfigError('onStoreUnreachable', `Unknown choice "${onUnreachable}"`);
	return { backend, onUnreachable };
}


function parkedCount(data: IDataObject): number {
	const s = data[PARKED_KEY] as DeadLetterSnapshot | undefined;
	return s && typeof s.entries === 'object' && s.entries ? Object.keys(s.entries).length : 0;
}

async function primaryStore(host: StoreHost, backend: 'redis' | 'postgres'): Promise<{ store: DeadLetterStore; where: string }> {
	if (backend === 'redis') {
		const conn = await redisConnectionOf((type) => host.getCredentials(type));
		const where = `Redis (${conn.host}:${conn.port})`;
		return { store: new RedisDeadLetterStore(sharedRedisClient(conn), { prefix: conn.keyPrefix }), where };
	}
	let conn: ReturnType<typeof postgresConnectionFrom>;
	try {
		conn = postgresConnectionFrom(await host.getCredentials(POSTGRES_CREDENTIAL));
	} catch (e) {
		throw asConfigError(new Error(`Resilience PostgreSQL credential: ${messageOf(e)}`), 'credentials');
	}
	const where = `PostgreSQL (${conn.host}:${conn.port ?? 5432}/${conn.database}, schema ${conn.schema ?? 'public'})`;
	return { store: new PostgresDeadLetterStore({ pool: sharedPostgresPool(conn), schema: conn.schema }), where };
}

export async function buildDeadLetterStore(host: StoreHost, s: DeadLetterSettings): Promise<BuiltDeadLetters> {
	// 'global' static data: the writing node, the Sink and the Trigger of one workflow must read the same entries.
	const staticData = host.getWorkflowStaticData('global');
	const stateSaved = host.getMode?.() !== 'manual';
	if (s.backend === 'staticData') {
		return {
			store: new StaticDataDeadLetterStore({ data: staticData }),
			info: () => ({ backend: 'staticData', where: 'workflow static data', stateSaved }),
			explain: messageOf,
			drain: async () => undefined,
		};
	}
	const { store: primary, where } = await primaryStore(host, s.backend);
	const explain = (e: unknown) => {
		if (isStoreUnavailableError(e)) {
			const why = messageOf(e).replace(/^(Redis|PostgreSQL) is unreachable: /, '');
			return `Dead letters in ${where} are unreachable: ${why}. Set "On Store Unreachable" to "Park in Workflow Static Data and Warn" to keep writing while it is down.`;
		}
		return isDeadLetterCapacityError(e) ? `${where}: ${messageOf(e)}` : messageOf(e);
	};
	if (s.onUnreachable === 'fail') {
		return { store: primary, info: () => ({ backend: s.backend, where, onUnreachable: 'fail' }), explain, drain: async () => undefined };
	}
	let fellBack = false;
	let lastError = '';
	const fallback = new FallbackDeadLetterStore(primary, new StaticDataDeadLetterStore({ data: staticData, key: PARKED_KEY }), {
		onFallback: (e) => {
			fellBack = true;
			lastError = messageOf(e);
		},
	});
	return {
		store: fallback,
		info: () => {
			const i: DeadLetterStoreInfo = { backend: s.backend, where, onUnreachable: 'fallback', fellBack };
			const parked = parkedCount(staticData);
			if (parked) i.parked = parked;
			if (fellBack) {
				i.warning = `${where} was unreachable (${lastError}): ${parked} dead letter(s) are parked in this workflow's static data and move to the store once it answers`;
				i.stateSaved = stateSaved;
			}
			return i;
		},
		explain,
		drain: async () => {
			if (!parkedCount(staticData)) return undefined;
			let why = '';
			try {
				await fallback.drain(100);
			} catch (e) {
				// Still down (or full): the parked entries stay where they are, and the user is told.
				why = ` (${explain(e)})`;
			}
			const left = parkedCount(staticData);
			return left ? `${left} dead letter(s) parked in this workflow's static data wait for ${where}${why}` : undefined;
		},
	};
}
