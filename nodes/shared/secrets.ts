// The literal secrets one execution sends, so they can be scrubbed from everything it outputs, even when a server
// echoes them back with no name in front ("invalid credentials abc123").
import type { ICredentialDataDecryptedObject, IExecuteFunctions } from 'n8n-workflow';

import { isSecretName, secretValues, urlSecrets } from '../../src';

// httpHeaderAuth / httpQueryAuth keep their secret in a field called "value".
const SECRET_FIELD = (name: string) => name === 'value' || isSecretName(name);

function credentialSecrets(data: unknown, into: unknown[], depth = 0): void {
	if (!data || typeof data !== 'object' || depth > 4) return;
	// Basic Auth goes out as base64(user:password): a server echoing the header back bare shows that, not the password.
	const basic = data as { user?: unknown; password?: unknown };
	if (typeof basic.user === 'string' && typeof basic.password === 'string' && basic.password) into.push(Buffer.from(`${basic.user}:${basic.password}`).toString('base64'));
	for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
		if (typeof v === 'string' && SECRET_FIELD(k)) into.push(v);
		else if (v && typeof v === 'object') credentialSecrets(v, into, depth + 1);
	}
}

/** Secret header and query values of a request, its URL's path tokens and password, and its credential's secrets. */
export function requestSecrets(
	request: { url?: string; headers?: Record<string, string>; qs?: Record<string, unknown> },
	credential?: object,
): string[] {
	const found: unknown[] = [];
	// A bot token in /bot<token>/ or a webhook secret may come back bare in a body ("bot <token> was blocked").
	if (request.url) found.push(...urlSecrets(request.url));
	for (const [k, v] of Object.entries(request.headers ?? {})) if (isSecretName(k)) found.push(v);
	for (const [k, v] of Object.entries(request.qs ?? {})) if (isSecretName(k)) found.push(...(Array.isArray(v) ? v : [v]));
	credentialSecrets(credential, found);
	return secretValues(found);
}

/** The credential's decrypted data, or nothing when the node runs without one (or it cannot be read). */
export async function credentialData(ctx: IExecuteFunctions, type: string | undefined): Promise<ICredentialDataDecryptedObject | undefined> {
	if (!type) return undefined;
	try {
		return (await ctx.getCredentials(type, 0)) as ICredentialDataDecryptedObject;
	} catch {
		return undefined;
	}
}
