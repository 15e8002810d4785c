// The item loop every operation shares: parameters read per item, errors mapped to n8n's, continue-on-fail, pairedItem on all.
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { validateQueue } from '../../../src/deadletter/logic';
import { ConfigError, isConfigError } from '../../shared/configError';
import type { BuiltDeadLetters } from '../../shared/deadLetterStore';
import type { ScrubOptions } from '../../../src/deadletter/redaction';
import { withInputFacts } from '../../shared/inputSecrets';
import { asConfigError, configMessage, continuedItem, itemFailure, messageOf } from '../../shared/errors';

export interface OpContext {
	built: BuiltDeadLetters;
}

const MINUTE = 60_000;

/** A parameter of item i; an expression that throws becomes a ConfigError naming the parameter. */
export function param<T>(ctx: IExecuteFunctions, name: string, i: number, fallback: T): T {
	try {
		return ctx.getNodeParameter(name, i, fallback) as T;
	} catch (e) {
		throw asConfigError(e, name);
	}
}

export function text(ctx: IExecuteFunctions, name: string, i: number): string {
	const v = param<unknown>(ctx, name, i, '');
	if (v !== null && typeof v === 'object') throw new ConfigError(name, `Must be text, not ${Array.isArray(v) ? 'a list' : 'an object'}`);
	return v === undefined || v === null ? '' : String(v).trim();
}

export function queueParam(ctx: IExecuteFunctions, name: string, i: number, required: boolean): string | undefined {
	const q = text(ctx, name, i);
	if (!q) {
		if (required) throw new ConfigError(name, 'The queue name is empty for this item');
		return undefined;
	}
	try {
		return validateQueue(q);
	} catch (e) {
		throw asConfigError(e, name);
	}
}

/** A whole number within [min, max]; `unit` converts minutes to ms. */
export function wholeNumber(ctx: IExecuteFunctions, name: string, i: number, fallback: number, min: number, max: number, unit = 1): number {
	const raw = param<unknown>(ctx, name, i, fallback);
	const n = raw === '' || raw === undefined || raw === null ? fallback : Number(raw);
	if (!Number.isFinite(n) || n < min || n > max) throw new ConfigError(name, `${String(raw)} is not a number from ${min} to ${max}`);
	return Math.round(n * unit);
}

export const minutes = (ctx: IExecuteFunctions, name: string, i: number) => wholeNumber(ctx, name, i, 0, 0, 10_000_000, MINUTE);

export function errorMessage(e: unknown, built: BuiltDeadLetters | undefined, i: number): string {
	if (isConfigError(e)) return configMessage(e, i);
	// The store explains unreachable and full stores with where they are and what to change.
	return built ? built.explain(e) : messageOf(e);
}

/**
 * The input json with `deadLetter` facts; a top-level `error` moves inside, so n8n does not read the item as failed,
 * and is masked on the way: an HTTP Request error carries the request it sent, credential header included.
 */
export function withFacts(input: IDataObject, facts: IDataObject, scrub?: ScrubOptions): IDataObject {
	return withInputFacts(input, 'deadLetter', facts, scrub);
}

/**
 * Runs `answer` for every input item in order; it returns the output items' json (none for an empty list). A failure
 * stops the node with the item index unless continue-on-fail is on; then the item goes out with json.error.
 */
export async function eachItem(
	ctx: IExecuteFunctions,
	built: BuiltDeadLetters | undefined,
	answer: (i: number, input: IDataObject) => Promise<IDataObject[]>,
): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		const input = (items[i].json ?? {}) as IDataObject;
		try {
			for (const json of await answer(i, input)) out.push({ json, pairedItem: { item: i } });
		} catch (e) {
			const message = errorMessage(e, built, i);
			const failure = itemFailure(ctx.getNode(), e, message, i, 'Dead Letter Sink');
			if (!ctx.continueOnFail()) throw failure;
			const json = withFacts(input, { status: 'error', ...(built ? { store: built.info() } : {}) });
			out.push(continuedItem(ctx.getNode(), json, message, i));
		}
	}
	return [out];
}
