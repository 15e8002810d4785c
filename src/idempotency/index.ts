// Public API of the idempotency engine; src/index.ts re-exports it.
export type {
	ClaimOptions,
	ClaimResult,
	CompleteResult,
	IdempotencyLedger,
	LedgerRecord,
	LedgerState,
	LedgerView,
	RejectReason,
	ReleaseResult,
	TakeOver,
} from './types';
export { DEFAULT_LEASE_MS, DEFAULT_MAX_RESULT_BYTES, DEFAULT_TTL_MS } from './ledger-logic';
export * as ledgerLogic from './ledger-logic';
export { canonicalJson, deriveKey, fingerprint, newOwnerToken, readPath, type DeriveKeyOptions } from './fingerprint';
export { EmbeddedIdempotencyLedger, type EmbeddedLedgerOptions, type LedgerSnapshot } from './embedded-ledger';
export { RedisIdempotencyLedger, type RedisLedgerOptions } from './redis-ledger';
export { IdempotencyGuard, type IdempotencyGuardOptions, type OnceOptions, type OnceOutcome } from './guard';
export { FallbackIdempotencyLedger, type FallbackLedgerOptions } from './fallback-ledger';
export { DEFAULT_SETTLE, settleActionFor, executeGuarded, storedResponse, type GuardedExecution, type GuardedExecutionOptions, type SettleAction } from './guarded-execution';
export { ledgerNamespace, type LedgerScope } from './scope';
