// What the Dead Letter Sink can know about the secrets of an item it did not send: the live n8n error on the item
// (the HTTP Request node's error holds its request: options.headers with the credential's header, url, data), plus
// whatever the user lists. It cannot know a credential that appears nowhere in the item in a recognisable form.
import type { IDataObject } from 'n8n-workflow';

import { collectSecrets, secretValues } from '../../src/redact';
import { scrubDeep, type ScrubOptions } from '../../src/deadletter/redaction';

/** The user's "Also Mask" inputs: names (or dotted item paths) and literal values. */
export interface AlsoMask {
	fields?: string;
	values?: unknown[];
}

/** "x-client, customer.ssn" → names ["x-client"] and paths ["customer.ssn"]. */
export function parseMaskFields(text: string | undefined): { names: string[]; paths: string[] } {
	const all = String(text ?? '')
		.split(/[\s,;]+/)
		.map((s) => s.trim())
		.filter(Boolean);
	return { names: all.filter((s) => !s.includes('.')), paths: all.filter((s) => s.includes('.')) };
}

/**
 * Scrub options for one item: the user's names and paths, and as literals every secret value found by structure in
 * the item (its error's request headers, URL and body included) and every value the user gave.
 */
export function itemScrubOptions(input: IDataObject, mask: AlsoMask, headerTokens: boolean): ScrubOptions {
	const { names, paths } = parseMaskFields(mask.fields);
	const given = (mask.values ?? []).map((v) => (typeof v === 'string' ? v.trim() : v));
	const secrets = secretValues([...collectSecrets(input, names), ...given]);
	return { names, paths, secrets, headerTokens };
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object';

/** An error as n8n would show it (AxiosError.toJSON: message, name, code, status, stack), never the live request. */
function errorProjection(e: Error): Record<string, unknown> {
	const withJson = e as Error & { toJSON?: () => unknown };
	if (typeof withJson.toJSON === 'function') {
		try {
			const j = withJson.toJSON();
			if (isObject(j)) return j;
		} catch {
			/* fall back to the own fields */
		}
	}
	const out: Record<string, unknown> = { message: e.message, name: e.name };
	for (const [k, v] of Object.entries(e)) if (!['request', 'response', 'config', 'options'].includes(k)) out[k] = v;
	return out;
}

/** The item's `error` made safe to store or output: plain JSON, secrets masked, literals scrubbed. */
export function safeInputError(error: unknown, o: ScrubOptions = {}): unknown {
	const plain = error instanceof Error ? errorProjection(error) : error;
	let json: unknown;
	try {
		json = JSON.parse(JSON.stringify(plain ?? null)) as unknown;
	} catch {
		// circular or not serialisable: its message is all that can be kept
		json = { message: String(isObject(plain) ? (plain.message ?? '') : plain) };
	}
	return scrubDeep(json, o);
}

/**
 * The input json with `facts` under `field`. A top-level `error` moves into the facts as `inputError`, masked with
 * what the item itself gives away (or `scrub`): n8n reads an item with a top-level error as failed.
 */
export function withInputFacts(input: IDataObject, field: string, facts: IDataObject, scrub?: ScrubOptions): IDataObject {
	const json: IDataObject = { ...input };
	const f: IDataObject = { ...facts };
	if ('error' in json) {
		f.inputError = safeInputError(json.error, scrub ?? itemScrubOptions(input, {}, true)) as IDataObject;
		delete json.error;
	}
	json[field] = f;
	return json;
}
