// The request operation's item loop: read and validate every item first, then send them with N in flight.
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { createClassifier, executeWithRetry, getPreset, redactText, resolvePolicy } from '../../../src';
import type { ExecutionResult, Preset, RequestFacts, RetryPolicy, Verdict } from '../../../src/types';
import { SharedTokenRefresher } from '../../shared/authRefresh';
import { ConfigError } from '../../shared/configError';
import { asConfigError, configMessage, toNodeOperationError } from '../../shared/errors';
import { idempotencyKeyFor, keyCollisions, requestFingerprint } from '../../shared/idempotency';
import { configReport, failedItem } from '../../shared/output';
import type { GuardedItem } from '../../shared/idempotencyGuard';
import { fullUrl, parseOptions, parseRequest, type BodyType, type NameValue, type RawOptions, type ResponseFormat } from '../../shared/params';
import { mapWithConcurrency } from '../../shared/pool';
import { credentialData, requestSecrets } from '../../shared/secrets';
import { sleepWithAbort } from '../../shared/sleep';
import { sendAttempt, type SendSpec } from '../../shared/transport';
import { carryReplayLink, replayIdempotencyKey, withoutReplayLink } from '../../shared/deadLetterItem';
import { splitBatch } from './batch';
import { openBreakers, type Breakers } from './breaker';
import { openDeadLetters, type DeadLetters, type FailedForDeadLetter } from './deadLetter';
import { combineGates } from './gates';
import { openGuard, type Guard } from './guard';
import { openLimiters, type ItemLimit, type Limiters } from './limiter';
import { readLookup, reconcileOptions, type ItemLookup } from './lookup';
import { presetOptionsOf } from './preset.properties';
import { routeItem } from './route';
import { isKnownAuthType, isOAuth2Type } from './authentication';

interface PreparedItem {
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

type Prepared = { ok: PreparedItem } | { error: ConfigError };

function param<T>(ctx: IExecuteFunctions, name: string, i: number, fallback: T): T {
	try {
		return ctx.getNodeParameter(name, i, fallback) as T;
	} catch (e) {
		throw asConfigError(e, name);
	}
}

const listOf = (v: unknown): NameValue[] => ((v as { parameters?: NameValue[] })?.parameters ?? []) as NameValue[];

function prepareItem(ctx: IExecuteFunctions, i: number, classifiers: Map<string, PreparedItem['classify']>, guarded: boolean): PreparedItem {
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

function safeString(read: () => unknown): string {
	try {
		return String(read() ?? '');
	} catch {
		return '';
	}
}

/** A throw from the engine itself is a bug, not the API's fault: the item still lands on Failed, never vanishes. */
function internalFailure(e: unknown): ExecutionResult {
	const reason = `Internal error: ${e instanceof Error ? e.message : String(e)}`;
	return {
		outcome: 'failed-permanent',
		verdict: { class: 'permanent', reason, rule: 'internal', breakerFailure: false, warnings: [] },
		attempts: [],
		warnings: [],
	};
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const continueOnFail = this.continueOnFail();
	const cancelSignal = this.getExecutionCancelSignal();
	const authentication = items.length ? param(this, 'authentication', 0, 'none') : 'none';

	let authError: ConfigError | undefined;
	if (!isKnownAuthType(authentication)) {
		authError = new ConfigError('authentication', `Unknown authentication "${authentication}"`);
	} else if (authentication !== 'none') {
		try {
			await this.getCredentials(authentication, 0);
		} catch (e) {
			authError = asConfigError(e, 'authentication');
		}
	}
	if (authError && !continueOnFail) throw toNodeOperationError(node, authError, 0);
	const credentialId = authentication === 'none' ? undefined : (node.credentials?.[authentication]?.id ?? undefined);
	let breakers: Breakers | undefined;
	if (!authError && items.length && param(this, 'circuitBreaker', 0, false)) {
		try {
			breakers = await openBreakers(this, credentialId ?? undefined);
		} catch (e) {
			authError = asConfigError(e, 'circuitBreaker');
			if (!continueOnFail) throw toNodeOperationError(node, authError, 0);
		}
	}

	let guard: Guard | undefined;
	const guarded = !authError && items.length > 0 && param(this, 'idempotencyGuard', 0, false);
	if (guarded) {
		try {
			guard = await openGuard(this);
		} catch (e) {
			authError = asConfigError(e, 'idempotencyGuard');
			if (!continueOnFail) throw toNodeOperationError(node, authError, 0);
		}
	}

	let limiters: Limiters | undefined;
	if (!authError && items.length) {
		try {
			limiters = await openLimiters(this, credentialId ?? undefined);
		} catch (e) {
			authError = asConfigError(e, 'rateLimit');
			if (!continueOnFail) throw toNodeOperationError(node, authError, 0);
		}
	}

	let deadLetters: DeadLetters | undefined;
	if (!authError && items.length > 0 && param(this, 'deadLetter', 0, false)) {
		try {
			deadLetters = await openDeadLetters(this);
		} catch (e) {
			authError = asConfigError(e, 'deadLetter');
			if (!continueOnFail) throw toNodeOperationError(node, authError, 0);
		}
	}

	const classifiers = new Map<string, PreparedItem['classify']>();
	const prepared: Prepared[] = items.map((_, i) => {
		if (authError) return { error: authError };
		try {
			const ok = prepareItem(this, i, classifiers, guarded);
			if (limiters) ok.limit = limiters.prepare(i, ok.preset, ok.facts, ok.presetOptions);
			// A queue name the store would refuse is a configuration error now, before anything is sent.
			deadLetters?.queueFor(i);
			return { ok };
		} catch (e) {
			const error = asConfigError(e, 'parameters');
			if (!continueOnFail) throw toNodeOperationError(node, error, i);
			return { error };
		}
	});

	// One key for two different requests would let a server answer the second with the first one's result.
	const collisions = keyCollisions(prepared.map((p) => ('ok' in p ? { key: p.ok.facts.idempotencyKey, fingerprint: requestFingerprint(p.ok.spec) } : undefined)));
	for (const [i, first] of collisions) {
		const key = (prepared[i] as { ok: PreparedItem }).ok.facts.idempotencyKey;
		prepared[i] = {
			error: new ConfigError('options.idempotencyKey', `Idempotency key "${key}" is already used by item ${first} for a different request; nothing was sent for this item`),
		};
	}

	const credentialType = authentication === 'none' ? undefined : authentication;
	const credential = await credentialData(this, credentialType);
	const refresher =
		credentialType && isOAuth2Type(credentialType)
			? new SharedTokenRefresher(
					async () => {
						await this.helpers.refreshOAuth2Token.call(this, credentialType);
					},
					(e) => this.logger.warn(redactText(`OAuth2 token refresh failed: ${(e as Error)?.message ?? String(e)}`)),
				)
			: undefined;
	const first = prepared.find((p): p is { ok: PreparedItem } => 'ok' in p);
	const concurrency = first?.ok.concurrency ?? 5;

	const sendItem = async (i: number, item: PreparedItem): Promise<ExecutionResult> => {
		const { spec, facts, policy, classify, preset } = item;
		// An item meeting a probe in flight waits for its answer (about one request's timeout), within the retry window.
		const probeWait = { sleep: async (ms: number) => await sleepWithAbort(ms, cancelSignal), maxWaitMs: Math.min(policy.maxRetryWindowMs, policy.timeoutMs + 5000) };
		const gate = combineGates([breakers?.forItem(i, facts, probeWait), item.limit && limiters?.forItem(i, item.limit, facts, policy, cancelSignal)]);
		let sentWith = 0;
		try {
			const result = await executeWithRetry({
				request: facts,
				policy,
				classify,
				send: async (_attempt, signal) => {
					sentWith = refresher?.generation ?? 0;
					return await sendAttempt(this, credentialType, spec, signal ?? cancelSignal);
				},
				clock: { now: () => Date.now() },
				sleep: async (ms, signal) => await sleepWithAbort(ms, signal ?? cancelSignal),
				random: Math.random,
				log: (level, message, meta) => this.logger[level](redactText(message), meta),
				signal: cancelSignal,
				refreshAuth: refresher ? async () => await refresher.refreshSince(sentWith) : undefined,
				recordHeaders: preset.recordHeaders,
				reconcile: item.lookup && reconcileOptions(item.lookup.spec, async (signal) => await sendAttempt(this, credentialType, item.lookup!.request, signal ?? cancelSignal)),
				beforeAttempt: gate?.beforeAttempt,
				onAttempt: gate?.onAttempt,
			});
			return gate ? gate.finish(result) : result;
		} catch (e) {
			return internalFailure(e);
		}
	};

	const guardedItems = new Map<number, GuardedItem>();
	const results = await mapWithConcurrency(items.length, concurrency, async (i): Promise<ExecutionResult | undefined> => {
		const p = prepared[i];
		if (!('ok' in p)) return undefined;
		const { facts, spec, policy, treatConflictAsResolved } = p.ok;
		if (!guard || !facts.idempotencyKey) return await sendItem(i, p.ok);
		const req = { key: facts.idempotencyKey, method: facts.method, url: facts.url, body: spec.body, policy, treatConflictAsResolved };
		try {
			const g = await guard.run(i, req, async () => await sendItem(i, p.ok));
			guardedItems.set(i, g);
			return g.status === 'executed' ? g.result : undefined;
		} catch (e) {
			return internalFailure(e);
		}
	});

	const success: INodeExecutionData[] = [];
	const failed: INodeExecutionData[] = [];
	const toDeadLetter: FailedForDeadLetter[] = [];
	items.forEach((item, i) => {
		const p = prepared[i];
		const input = (item.json ?? {}) as IDataObject;
		if (!('ok' in p)) {
			const url = safeString(() => this.getNodeParameter('url', i, ''));
			const method = safeString(() => this.getNodeParameter('method', i, 'GET')) || 'GET';
			const secrets = requestSecrets({ url }, credential);
			failed.push(failedItem(input, configReport(p.error.parameter, configMessage(p.error, i), { method, url }), i, secrets));
			toDeadLetter.push({ i, input, item: failed[failed.length - 1], secrets });
			return;
		}
		const { facts, format, treatConflictAsResolved } = p.ok;
		const breakerReport = breakers ? () => (breakers as Breakers).reportFor(i) : undefined;
		const rateLimitReport = limiters ? () => (limiters as Limiters).reportFor(i) : undefined;
		const secrets = requestSecrets(p.ok.spec, credential);
		const mark = (ok: INodeExecutionData) => {
			// A replayed record keeps its dead-letter link on Success, so a Resolve step can close its entry.
			ok.json = carryReplayLink(input, ok.json);
			const b = breakers?.markSuccess(ok) ?? ok;
			return limiters?.markSuccess(b) ?? b;
		};
		const fail = (item: INodeExecutionData) => {
			failed.push(item);
			toDeadLetter.push({ i, input, item, secrets, request: { headers: p.ok.spec.headers, body: p.ok.spec.body } });
		};
		const result = results[i];
		const split = p.ok.splitBatchResults && result ? splitBatch({ input, i, result, request: facts, body: p.ok.spec.body, secrets, routes: p.ok.preset.idempotentRoutes }) : undefined;
		if (split) {
			success.push(...split.success.map(mark));
			split.failed.forEach(fail);
			return;
		}
		const routed = routeItem({ input, i, facts, format, result, guarded: guardedItems.get(i), treatConflictAsResolved, guard, breakerReport, rateLimitReport, secrets });
		if (routed.output === 'failed') fail(routed.item);
		else success.push(mark(routed.item));
	});
	await deadLetters?.writeAll(toDeadLetter, concurrency);
	breakers?.close();
	limiters?.close();
	guard?.close();
	return [success, failed];
}
