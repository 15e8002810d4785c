// The "Test" button of the Resilience Redis credential: one connection, PING, and a message the user can act on.
import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { testRedisConnection } from '../../src/store';
import { redisConnectionFrom } from './stores';

export const REDIS_CREDENTIAL_TEST = 'resilienceRedisConnectionTest';

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
	const r = await testRedisConnection({ ...conn, timeoutMs: 5000 });
	return r.ok ? { status: 'OK', message: `Connected to Redis at ${conn.host}:${conn.port}` } : { status: 'Error', message: r.message };
}
