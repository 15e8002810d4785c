// The one way our Redis stores define and call their Lua scripts: named commands, fail fast while disconnected.
import type Redis from 'ioredis';
import { StoreUnavailableError, toRedisStoreError } from '../errors';

export type ScriptCommand<R = unknown> = (...keysThenArgv: Array<string | number>) => Promise<R>;

/**
 * Defines each script as a named ioredis command (once per client): EVALSHA, and ioredis re-sends the body on
 * NOSCRIPT, so scripts come back by themselves after SCRIPT FLUSH or a Redis restart.
 */
export function defineScripts<N extends string>(client: Redis, numberOfKeys: number, scripts: Record<N, string>): Redis & Record<N, ScriptCommand> {
	const c = client as Redis & Partial<Record<N, ScriptCommand>>;
	for (const [name, lua] of Object.entries(scripts) as Array<[N, string]>) if (!c[name]) client.defineCommand(name, { numberOfKeys, lua });
	return c as Redis & Record<N, ScriptCommand>;
}

/** While ioredis waits to reconnect, answer "unavailable" at once instead of queueing the call. */
export function assertConnectable(client: Redis): void {
	const st = client.status;
	if (st === 'end' || st === 'close') throw new StoreUnavailableError('Redis', 'the connection was closed');
	if (st === 'reconnecting') throw new StoreUnavailableError('Redis', 'the connection was lost; reconnecting');
}

/** Runs one Redis call: unavailable at once when disconnected, connection failures mapped to StoreUnavailableError. */
export async function callRedis<T>(client: Redis, call: () => Promise<T>): Promise<T> {
	assertConnectable(client);
	try {
		return await call();
	} catch (e) {
		throw toRedisStoreError(e);
	}
}
