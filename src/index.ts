// The engine's public API. Nothing here imports n8n: nodes adapt n8n to these functions and types.
export * from './types';
export { getPreset, listPresets, resolvePolicy, DEFAULT_POLICY } from './presets';
export { createClassifier, type Classifier, parseRetryAfter, parseRetryAfterMs, parseDuration, parseResetHeader, renderRetryAt, isSafeToRepeat, FOLLOWS_REDIRECTS, readBudget, recordEntries, reconcileRecords, firstPath, COMMON_RECORD_RULES, classifyRecordError, type RecordEntry } from './classify';
export { executeWithRetry } from './retry';
export { runReconcile, matchesFoundWhen, parseJsonPath, readJsonPath, type ReconcileOutcome } from './reconcile';
export {
	createBackoff,
	nominalDelay,
	jitterServerWait,
	FullJitterBackoff,
	AdditiveJitterBackoff,
	EqualJitterBackoff,
	DecorrelatedJitterBackoff,
	NoJitterBackoff,
	type Backoff,
	type BackoffOptions,
} from './backoff';
export { toNetworkFailure, toAttemptResult, createAxiosSend, type AxiosSendOptions } from './transport';
export { redactHeaders, redactUrl, redactDeep, redactText, scrubSecrets, secretValues, isSecretName, urlSecrets, collectSecrets, type RedactOptions } from './redact';
export { realClock, realSleep } from './runtime';
export * from './store';
export * from './breaker';
export * from './ratelimit';
export * from './idempotency';
export * from './deadletter';
