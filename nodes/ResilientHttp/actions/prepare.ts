// Reading one item's parameters into a request ready to send: every problem is a configuration error naming its parameter.
import type { IExecuteFunctions } from 'n8n-workflow';

import { createClassifier, getPreset, resolvePolicy } from '../../../src';
import type { Preset, RequestFacts, RetryPolicy, Verdict } from '../../../src/types';
import type { ConfigError } from '../../shared/configError';
import { asConfigError } from '../../shared/errors';
import { idempotencyKeyFor } from '../../shared/idempotency';
import { fullUrl, parseOptions, parseRequest, type BodyType, type NameValue, type RawOptions, type ResponseFormat } from '../../shared/params';
import type { SendSpec } from '../../shared/transport';
import { replayIdempotencyKey, withoutReplayLink } from '../../shared/deadLetterItem';
import type { ItemLimit } from './limiter';
import { readLookup, type ItemLookup } from './lookup';
import { presetOptionsOf } from './preset.properties';

export interface PreparedItem {
	spec: SendSpec;
	facts: RequestFacts;
	policy: RetryPolicy;
	preset: Preset;
	classify: (...a: Parameters<ReturnType<typeof createClassifier>>) => Verdict;
	format: ResponseFormat;
	concurrency: number;
	treatConflictAsResolved: boolean;
	splitBatchResults: boolean;
	presetOptions: Record<string, string>;
	limit?: ItemLimit;
	lookup?: ItemLookup;
}

export type Prepared = { ok: PreparedItem } | { error: ConfigError };

export function param<T>(ctx: IExecuteFunctions, name: string, i: number, fallback: T): T {
	try {
		return ctx.getNodeParameter(name, i, fallback) as T;
	} catch (e) {
		throw asConfigError(e, name);
	}
}

const listOf = (v: unknown): NameValue[] => ((v as { parameters?: NameValue[] })?.parameters ?? []) as NameValue[];

export function prepareItem(ctx: IExecuteFunctions, i: number, classifiers: Map<string, PreparedItem['classify']>, guarded: boolean): PreparedItem {
	const presetName = param(ctx, 'preset', i, 'generic');
	let preset: Preset;
	try {
		preset = getPreset(presetName);
	} catch (e) {
		throw asConfigError(e, 'preset');
	}
	const sendBody = param(ctx, 'sendBody', i, false);
	const bodyType: BodyType = sendBody ? param<BodyType>(ctx, 'bodyType', i, 'json') : 'none';
	const request = parseRequest({
		method: param(ctx, 'method', i, 'GET'),
		url: param(ctx, 'url', i, ''),
		queryParameters: param(ctx, 'sendQuery', i, false) ? listOf(param(ctx, 'queryParameters', i, {})) : [],
		headerParameters: param(ctx, 'sendHeaders', i, false) ? listOf(param(ctx, 'headerParameters', i, {})) : [],
		bodyType,
		jsonBody: bodyType === 'json' ? param<unknown>(ctx, 'jsonBody', i, undefined) : undefined,
		formParameters: bodyType === 'form' ? listOf(param(ctx, 'formParameters', i, {})) : [],
		rawBody: bodyType === 'raw' ? param(ctx, 'rawBody', i, '') : undefined,
		rawContentType: bodyType === 'raw' ? param(ctx, 'rawContentType', i, 'text/plain') : undefined,
	});
	const rawOptions = param<RawOptions & { treatConflictAsResolved?: boolean; splitBatchResults?: boolean }>(ctx, 'options', i, {});
	const options = parseOptions({ ...rawOptions, responseFormat: param(ctx, 'responseFormat', i, 'auto') });
	let policy: RetryPolicy;
	try {
		policy = resolvePolicy(preset, options.overrides);
	} catch (e) {
		// The engine names the field ("maxAttempts must be a whole number"): point at the Options entry that set it.
		const field = /\b(maxAttempts|baseDelayMs|maxDelayMs|maxRetryWindowMs|timeoutMs|jitter)\b/.exec(String((e as Error).message))?.[1];
		throw asConfigError(e, field ? `options.${field}` : 'options');
	}
	const presetOptions = presetOptionsOf(preset, (name) => param(ctx, name, i, ''));
	const cacheKey = JSON.stringify([preset.name, policy, options.userRules, presetOptions]);
	let classify = classifiers.get(cacheKey);
	if (!classify) {
		classify = createClassifier({ preset, policy, userRules: options.userRules, presetOptions });
		classifiers.set(cacheKey, classify);
	}
	// The guard needs a key per item: with None chosen it uses the Auto key.
	const mode = guarded && options.idempotencyMode === 'none' ? 'auto' : options.idempotencyMode;
	const input = ctx.getInputData()[i]?.json;
	// A replayed record sends the key its first request sent, so a write the server applied then is not applied twice.
	const replayKey = mode === 'auto' ? replayIdempotencyKey(input) : undefined;
	const key =
		replayKey ??
		idempotencyKeyFor(mode, options.customIdempotencyKey, { workflowId: String(ctx.getWorkflow().id ?? ''), nodeName: ctx.getNode().name, item: withoutReplayLink(input) }, request);
	const keyHeader = options.idempotencyHeader ?? preset.idempotencyHeader ?? 'Idempotency-Key';
	if (key) request.headers[keyHeader] = key;
	// A key makes resending a lost write safe only if the server dedupes by it: a key the user chose, for a platform
	// known to honour one or a header the user named. The guard's own key (None chosen) only keeps the ledger.
	const keyHonoured = options.idempotencyMode !== 'none' && (preset.idempotencyHeader !== undefined || options.idempotencyHeader !== undefined);
	const spec = { ...request, timeoutMs: policy.timeoutMs };
	return {
		spec,
		lookup: readLookup((name, fallback) => param(ctx, name, i, fallback), spec, keyHeader),
		facts: { method: request.method, url: fullUrl(request), idempotencyKey: key, ...(key && !keyHonoured ? { keyHonoured: false } : {}) },
		policy,
		preset,
		classify,
		format: options.responseFormat,
		concurrency: options.concurrency,
		treatConflictAsResolved: rawOptions.treatConflictAsResolved === true,
		splitBatchResults: rawOptions.splitBatchResults === true,
		presetOptions,
	};
}
