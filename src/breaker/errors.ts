import type { BreakerView } from './types';

const FLAG = Symbol.for('n8n-nodes-resilience.CircuitOpenError');

/** A call refused by an open (or fully probed half-open) breaker: retry later, not a data error. */
export class CircuitOpenError extends Error {
	readonly [FLAG] = true;
	readonly view: BreakerView;
	/** Epoch ms when the breaker lets calls (probes) through again, if known. */
	readonly retryAt?: number;
	constructor(view: BreakerView, retryAt?: number) {
		const when = retryAt !== undefined ? ` until ${new Date(retryAt).toISOString()}` : '';
		super(`Circuit open for ${view.key}${when}`);
		this.name = 'CircuitOpenError';
		this.view = view;
		this.retryAt = retryAt;
	}
}

export function isCircuitOpenError(e: unknown): e is CircuitOpenError {
	return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[FLAG] === true;
}
