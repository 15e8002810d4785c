// Public API of the circuit breaker engine; src/index.ts re-exports it.
export type { BreakerAcquireResult, BreakerEvent, BreakerOutcome, BreakerPolicy, BreakerRecord, BreakerRecordResult, BreakerState, BreakerView } from './types';
export { DEFAULT_BREAKER_POLICY, resolveBreakerPolicy, validateBreakerPolicy, type BreakerPolicyInput } from './policy';
export { routeTemplate, endpointBreakerKey } from './route-template';
export { breakerOutcomeFromVerdict, breakerOutcomeFromResult, normalizeOutcome } from './outcome';
export { CircuitOpenError, isCircuitOpenError } from './errors';
export { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker';
export * as breakerTransitions from './transitions';
