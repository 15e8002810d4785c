// One way every Redis-backed state store is opened: the credential, the "fail or fall back" choice, and the messages.
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { isStoreUnavailableError } from '../../src/store';
import { ConfigError } from './configError';
import { REDIS_CREDENTIAL, redisConnectionFrom, type StoreInfo, type StoreSettings } from './stores';
import { messageOf } from './errors';

type Conn = ReturnType<typeof redisConnectionFrom>;

/** The node's Resilience Redis credential as connection options; any problem with it names the credentials parameter. */
export async function redisConnectionOf(getCredentials: (type: string) => Promise<ICredentialDataDecryptedObject>): Promise<Conn> {
	let conn: Conn;
	try {
		conn = redisConnectionFrom(await getCredentials(REDIS_CREDENTIAL));
	} catch (e) {
		throw e instanceof ConfigError ? e : new ConfigError('credentials', `Resilience Redis credential: ${messageOf(e)}`);
	}
	return conn;
}

export interface RedisStateOptions<S> {
	settings: StoreSettings;
	namespace: string;
	conn: Conn;
	/** What the store holds, for messages: "Circuit breaker state". */
	what: string;
	redis: S;
	/** The same store falling back to this process's embedded one; onFallback is called when it does. */
	withFallback: (onFallback: (e: unknown) => void) => S;
	/** What a run on the fallback could not do, for its warning: "other workers do not see it". */
	fallbackCost: string;
	/** Embedded only: false in manual runs (n8n does not save their static data); reported once the store fell back. */
	stateSaved?: boolean;
}

export interface RedisState<S> {
	store: S;
	info(): StoreInfo;
	explain(e: unknown): string;
	/** Whether any call of this run was answered by the embedded fallback. */
	fellBack(): boolean;
}

export function redisState<S>(o: RedisStateOptions<S>): RedisState<S> {
	const { namespace } = o;
	const where = `${o.conn.host}:${o.conn.port}`;
	const explain = (e: unknown) =>
		isStoreUnavailableError(e)
			? `${o.what} in Redis (${where}) is unreachable: ${e.message.replace(/^Redis is unreachable: /, '')}. Set "On Store Unreachable" to "Fall Back to Embedded State and Warn" to keep running without Redis.`
			: messageOf(e);
	if (o.settings.onUnreachable === 'fail') {
		return { store: o.redis, info: () => ({ backend: 'redis', namespace, onUnreachable: 'fail' }), explain, fellBack: () => false };
	}
	let fellBack = false;
	let lastError = '';
	const store = o.withFallback((e) => {
		fellBack = true;
		if (e) lastError = messageOf(e);
	});
	return {
		store,
		info: () => {
			const i: StoreInfo = { backend: 'redis', namespace, onUnreachable: 'fallback', fellBack };
			if (fellBack) {
				i.warning = `Redis (${where}) was unreachable${lastError ? ` (${lastError})` : ''}: this run used embedded state in this process, ${o.fallbackCost}`;
				if (o.stateSaved !== undefined) i.stateSaved = o.stateSaved;
			}
			return i;
		},
		explain,
		fellBack: () => fellBack,
	};
}
