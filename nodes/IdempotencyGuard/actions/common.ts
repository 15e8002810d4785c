// The item loop every operation shares: per-item key, errors mapped to n8n's, continue-on-fail, pairedItem on all.
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { deriveKey, fingerprint, readPath } from '../../../src/idempotency';
import { isStoreUnavailableError } from '../../../src/store';
import { isConfigError } from '../../shared/configError';
import { asConfigError, configMessage, continuedItem, itemFailure, messageOf } from '../../shared/errors';
import { keyFromValue } from '../../shared/keyValue';
import type { BuiltLedger } from '../../shared/ledgerStore';
import { withInputFacts } from '../../shared/inputSecrets';

export interface OpContext {
	built: BuiltLedger;
	ttlMs: number;
	leaseMs: number;
	/** Where in the output item the idempotency facts go (default "idempotency"). */
	field: string;
}

export interface ItemAnswer {
	output: number;
	facts: IDataObject;
	/** Replaces the input json (complete: the item that was stored). */
	json?: IDataObject;
}

export const splitFields = (raw: unknown): string[] =>
	String(raw ?? '')
		.split(',')
		.map((f) => f.trim())
		.filter(Boolean);

/** The key of a claim or check: the expression's value, or `prefix:sha256` of the chosen fields. */
export function keyForItem(ctx: IExecuteFunctions, i: number, input: IDataObject): string {
	const mode = ctx.getNodeParameter('keyMode', i, 'expression') as string;
	if (mode === 'fields') {
		try {
			const prefix = String(ctx.getNodeParameter('keyPrefix', i, '') ?? '').trim();
			return deriveKey(input, splitFields(ctx.getNodeParameter('keyFields', i, '')), { prefix: prefix || undefined });
		} catch (e) {
			throw asConfigError(e, 'keyFields');
		}
	}
	let v: unknown;
	try {
		v = ctx.getNodeParameter('key', i);
	} catch (e) {
		throw asConfigError(e, 'key');
	}
	return keyFromValue(v, 'key');
}

/** Key and owner a Claim node put on the item, for complete and release. */
export function claimOfItem(ctx: IExecuteFunctions, i: number): { key: string; owner: string } {
	const read = (name: string) => {
		try {
			return keyFromValue(ctx.getNodeParameter(name, i), name);
		} catch (e) {
			throw asConfigError(e, name);
		}
	};
	return { key: read('claimKey'), owner: read('claimOwner') };
}

/** "" → no fingerprint; "*" → the whole item (minus the idempotency field); otherwise the chosen fields. */
export function payloadFingerprint(raw: unknown, input: IDataObject, field: string): string | undefined {
	const fields = splitFields(raw);
	if (fields.length === 0) return undefined;
	if (fields.includes('*')) {
		const rest = { ...input };
		delete rest[field];
		return fingerprint(rest);
	}
	return fingerprint(Object.fromEntries(fields.map((f) => [f, readPath(input, f) ?? null])));
}

export const iso = (ms: number | undefined) => (ms === undefined || !Number.isFinite(ms) ? undefined : new Date(ms).toISOString());

/** Input json with the facts under `field`; a top-level `error` moves inside (masked), so n8n does not read the item as failed. */
export function withFacts(input: IDataObject, field: string, facts: IDataObject): IDataObject {
	return withInputFacts(input, field, facts);
}

export function errorMessage(e: unknown, built: BuiltLedger | undefined, i: number): string {
	if (isConfigError(e)) return configMessage(e, i);
	if (isStoreUnavailableError(e) && built) return built.explain(e);
	return messageOf(e);
}

/**
 * Runs `answer` for every item in order. A failure stops the node (NodeOperationError naming the item) unless
 * continue-on-fail is on; then the item goes to `errorOutput` with json.error, so no item disappears.
 */
export async function eachItem(
	ctx: IExecuteFunctions,
	o: { outputs: number; errorOutput: number; built?: BuiltLedger; field: string },
	answer: (i: number, input: IDataObject) => Promise<ItemAnswer>,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const out: INodeExecutionData[][] = Array.from({ length: o.outputs }, () => []);
	for (let i = 0; i < items.length; i++) {
		const input = (items[i].json ?? {}) as IDataObject;
		try {
			const a = await answer(i, input);
			const json = withFacts(a.json ?? input, o.field, { ...a.facts, store: o.built?.info() });
			out[a.output].push({ json, pairedItem: { item: i } });
		} catch (e) {
			const message = errorMessage(e, o.built, i);
			const failure = itemFailure(ctx.getNode(), e, message, i, 'Idempotency Guard');
			if (!ctx.continueOnFail()) throw failure;
			const json = withFacts(input, o.field, { status: 'error', store: o.built?.info() });
			out[o.errorOutput].push(continuedItem(ctx.getNode(), json, message, i));
		}
	}
	return out;
}
