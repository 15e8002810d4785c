// The "Test" button of the Resilience Redis credential: one connection, PING, and a message the user can act on.
import { Socket } from 'node:net';
import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import Redis from 'ioredis';

import { redisOptions, testRedisConnection, type RedisConnectionOptions } from '../../src/store';
import { redisConnectionFrom } from './stores';

export const REDIS_CREDENTIAL_TEST = 'resilienceRedisConnectionTest';

/** A plain TCP connect first: ioredis reports a refused or unknown host only as "Connection is closed". */
export async function tcpProblem(host: string, port: number, timeoutMs: number): Promise<string | undefined> {
	return await new Promise((resolve) => {
		const socket = new Socket();
		const done = (problem?: string) => {
			socket.destroy();
			resolve(problem);
		};
		socket.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs} ms (firewall, wrong host or port?)`));
		socket.once('error', (e: NodeJS.ErrnoException) => done(e.code ? `${e.code} (${e.message})` : e.message));
		socket.connect(port, host, () => done());
	});
}

/** After a failed test: the server's own reply (WRONGPASS, NOAUTH, TLS errors), which ioredis reports only as an event. */
async function serverReason(o: RedisConnectionOptions): Promise<string | undefined> {
	const client = new Redis({ ...redisOptions(o), lazyConnect: true, retryStrategy: () => null });
	let reason: string | undefined;
	client.on('error', (e: Error) => (reason ??= e.message));
	try {
		await client.connect();
		await client.ping();
	} catch (e) {
		reason ??= (e as Error).message;
	} finally {
		client.disconnect();
	}
	return reason;
}

export async function resilienceRedisConnectionTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	let conn: ReturnType<typeof redisConnectionFrom>;
	try {
		conn = redisConnectionFrom(credential.data ?? {});
	} catch (e) {
		return { status: 'Error', message: (e as Error).message };
	}
	const problem = await tcpProblem(conn.host, conn.port, 5000);
	if (problem) return { status: 'Error', message: `Could not reach Redis at ${conn.host}:${conn.port}: ${problem}` };
	const r = await testRedisConnection({ ...conn, timeoutMs: 5000 });
	if (r.ok) return { status: 'OK', message: `Connected to Redis at ${conn.host}:${conn.port}` };
	const reason = await serverReason({ ...conn, timeoutMs: 5000 });
	return { status: 'Error', message: reason && !r.message.includes(reason) ? `${r.message} (${reason})` : r.message };
}
