// The request operation's item loop: read and validate every item first, then send them with N in flight.
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { executeWithRetry, redactText } from '../../../src';
import type { ExecutionResult } from '../../../src/types';
import { SharedTokenRefresher } from '../../shared/authRefresh';
import { ConfigError } from '../../shared/configError';
import { asConfigError, configMessage, messageOf, toNodeOperationError } from '../../shared/errors';
import { keyCollisions, requestFingerprint } from '../../shared/idempotency';
import { configReport, failedItem } from '../../shared/output';
import type { GuardedItem } from '../../shared/idempotencyGuard';
import { mapWithConcurrency } from '../../shared/pool';
import { credentialData, requestSecrets } from '../../shared/secrets';
import { sleepWithAbort } from '../../shared/sleep';
import { handAppliedAuth, sendAttempt, type HandAuth } from '../../shared/transport';
import { carryReplayLink } from '../../shared/deadLetterItem';
import { splitBatch } from './batch';
import { openBreakers, type Breakers } from './breaker';
import { openDeadLetters, type FailedForDeadLetter } from './deadLetter';
import { combineGates } from './gates';
import { openGuard } from './guard';
import { openLimiters, type Limiters } from './limiter';
import { reconcileOptions } from './lookup';
import { param, prepareItem, type Prepared, type PreparedItem } from './prepare';
import { routeItem } from './route';
import { isKnownAuthType, isOAuth2Type } from './authentication';

function safeString(read: () => unknown): string {
	try {
		return String(read() ?? '');
	} catch {
		return '';
	}
}

/** A throw from the engine itself is a bug, not the API's fault: the item still lands on Failed, never vanishes. */
function internalFailure(e: unknown): ExecutionResult {
	const reason = `Internal error: ${messageOf(e)}`;
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
	const credentialType = authentication === 'none' ? undefined : authentication;
	const credential = authError ? undefined : await credentialData(this, credentialType);
	let handAuth: HandAuth | undefined;
	try {
		if (!authError) handAuth = handAppliedAuth(credentialType, credential);
	} catch (e) {
		authError = asConfigError(e, 'authentication');
		if (!continueOnFail) throw toNodeOperationError(node, authError, 0);
	}

	// Each optional feature opens its state once; one that cannot is a configuration error naming its switch.
	let setupError = authError;
	const open = async <T>(parameter: string, enabled: () => boolean, opener: () => Promise<T | undefined>): Promise<T | undefined> => {
		if (setupError || !items.length || !enabled()) return undefined;
		try {
			return await opener();
		} catch (e) {
			setupError = asConfigError(e, parameter);
			if (!continueOnFail) throw toNodeOperationError(node, setupError, 0);
			return undefined;
		}
	};
	const breakers = await open('circuitBreaker', () => param(this, 'circuitBreaker', 0, false), async () => await openBreakers(this, credentialId));
	const guarded = !setupError && items.length > 0 && param(this, 'idempotencyGuard', 0, false);
	const guard = await open('idempotencyGuard', () => guarded, async () => await openGuard(this));
	const limiters = await open('rateLimit', () => true, async () => await openLimiters(this, credentialId));
	const deadLetters = await open('deadLetter', () => param(this, 'deadLetter', 0, false), async () => await openDeadLetters(this));

	const classifiers = new Map<string, PreparedItem['classify']>();
	const prepared: Prepared[] = items.map((_, i) => {
		if (setupError) return { error: setupError };
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
					return await sendAttempt(this, credentialType, spec, signal ?? cancelSignal, handAuth);
				},
				clock: { now: () => Date.now() },
				sleep: async (ms, signal) => await sleepWithAbort(ms, signal ?? cancelSignal),
				random: Math.random,
				log: (level, message, meta) => this.logger[level](redactText(message), meta),
				signal: cancelSignal,
				refreshAuth: refresher ? async () => await refresher.refreshSince(sentWith) : undefined,
				recordHeaders: preset.recordHeaders,
				reconcile: item.lookup && reconcileOptions(item.lookup.spec, async (signal) => await sendAttempt(this, credentialType, item.lookup!.request, signal ?? cancelSignal, handAuth)),
				beforeAttempt: gate?.beforeAttempt,
				onAttempt: gate?.onAttempt,
			});
			return gate ? gate.finish(result) : result;
		} catch (e) {
			return internalFailure(e);
		}
	};

	const guardedItems = new Map<number, GuardedItem>();
	// Items of this batch that carry the same request share one key: the copy that finds it claimed is told so.
	const itemsWithKey = new Map<string, number[]>();
	prepared.forEach((p, i) => {
		const key = 'ok' in p ? p.ok.facts.idempotencyKey : undefined;
		if (!key) return;
		const same = itemsWithKey.get(key);
		if (same) same.push(i);
		else itemsWithKey.set(key, [i]);
	});
	const results = await mapWithConcurrency(items.length, concurrency, async (i): Promise<ExecutionResult | undefined> => {
		const p = prepared[i];
		if (!('ok' in p)) return undefined;
		const { facts, spec, policy, treatConflictAsResolved } = p.ok;
		if (!guard || !facts.idempotencyKey) return await sendItem(i, p.ok);
		const req = { key: facts.idempotencyKey, method: facts.method, url: facts.url, body: spec.body, policy, treatConflictAsResolved };
		try {
			const g = await guard.run(i, req, async () => await sendItem(i, p.ok));
			const other = itemsWithKey.get(facts.idempotencyKey)?.find((j) => j !== i);
			if (g.status === 'in-progress' && other !== undefined) g.sameBatchAs = other;
			guardedItems.set(i, g);
			return g.status === 'executed' ? g.result : undefined;
		} catch (e) {
			return internalFailure(e);
		}
	});

	// A token refreshed during the run is a secret too: a server may echo it back bare ("the value <token> was revoked").
	const secretsOf = refresher?.generation ? { before: credential, after: await credentialData(this, credentialType) } : credential;
	const success: INodeExecutionData[] = [];
	const failed: INodeExecutionData[] = [];
	const toDeadLetter: FailedForDeadLetter[] = [];
	items.forEach((item, i) => {
		const p = prepared[i];
		const input = (item.json ?? {}) as IDataObject;
		if (!('ok' in p)) {
			const url = safeString(() => this.getNodeParameter('url', i, ''));
			const method = safeString(() => this.getNodeParameter('method', i, 'GET')) || 'GET';
			const secrets = requestSecrets({ url }, secretsOf);
			failed.push(failedItem(input, configReport(p.error.parameter, configMessage(p.error, i), { method, url }), i, secrets));
			toDeadLetter.push({ i, input, item: failed[failed.length - 1], secrets });
			return;
		}
		const { facts, format, treatConflictAsResolved } = p.ok;
		const breakerReport = breakers ? () => (breakers as Breakers).reportFor(i) : undefined;
		const rateLimitReport = limiters ? () => (limiters as Limiters).reportFor(i) : undefined;
		const secrets = requestSecrets(p.ok.spec, secretsOf);
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
