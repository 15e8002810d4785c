import { createHash } from 'node:crypto';
import Redis, { type RedisOptions } from 'ioredis';

/** What the Redis credential holds. */
export interface RedisConnectionOptions {
	host: string;
	port: number;
	database?: number;
	user?: string;
	password?: string;
	tls?: boolean;
	/** Milliseconds to wait for a connection or a reply before the store counts as unreachable. */
	timeoutMs?: number;
}

/**
 * Fail fast while Redis is down (commands are rejected at each failed reconnect instead of queueing for
 * long), keep reconnecting in the background forever so the store recovers by itself.
 */
export function redisOptions(o: RedisConnectionOptions): RedisOptions {
	const timeout = o.timeoutMs ?? 5000;
	return {
		host: o.host,
		port: o.port,
		db: o.database ?? 0,
		username: o.user || undefined,
		password: o.password || undefined,
		tls: o.tls ? {} : undefined,
		connectTimeout: timeout,
		commandTimeout: timeout,
		maxRetriesPerRequest: 0,
		retryStrategy: (times) => Math.min(times * 100, 1000),
	};
}

export function createRedisClient(o: RedisConnectionOptions): Redis {
	const client = new Redis(redisOptions(o));
	// Without a listener ioredis prints every failed reconnect; failures surface on the commands instead.
	client.on('error', () => undefined);
	return client;
}

const shared = new Map<string, Redis>();

function poolKey(o: RedisConnectionOptions): string {
	const raw = JSON.stringify([o.host, o.port, o.database ?? 0, o.user ?? '', o.password ?? '', !!o.tls, o.timeoutMs ?? 5000]);
	return createHash('sha256').update(raw).digest('hex');
}

/** One connection per distinct credential in this process, shared by every execution and node. */
export function sharedRedisClient(o: RedisConnectionOptions): Redis {
	const k = poolKey(o);
	let c = shared.get(k);
	if (!c || c.status === 'end') {
		c = createRedisClient(o);
		shared.set(k, c);
	}
	return c;
}

/** Closes the shared connections (tests, shutdown). */
export async function closeSharedRedisClients(): Promise<void> {
	const all = [...shared.values()];
	shared.clear();
	await Promise.all(all.map((c) => c.quit().catch(() => c.disconnect())));
}

/** For the credential test: one connection attempt, PING, and a message a user can act on. */
export async function testRedisConnection(o: RedisConnectionOptions): Promise<{ ok: true } | { ok: false; message: string }> {
	const client = new Redis({ ...redisOptions(o), lazyConnect: true, retryStrategy: () => null });
	client.on('error', () => undefined);
	try {
		await client.connect();
		const pong = await client.ping();
		return pong === 'PONG' ? { ok: true } : { ok: false, message: `Unexpected reply to PING: ${pong}` };
	} catch (e) {
		return { ok: false, message: `Could not connect to Redis at ${o.host}:${o.port}: ${(e as Error).message}` };
	} finally {
		client.disconnect();
	}
}
