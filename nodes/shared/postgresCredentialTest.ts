// The "Test" button of the Resilience PostgreSQL credential: connect, check the schema can hold dead_letter_queue, say why not.
import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { testResiliencePostgresCredential } from '../../src/deadletter';

export const POSTGRES_CREDENTIAL_TEST = 'resiliencePostgresConnectionTest';

export async function resiliencePostgresConnectionTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	return await testResiliencePostgresCredential((credential.data ?? {}) as Record<string, unknown>);
}
