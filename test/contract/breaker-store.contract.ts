// One behaviour suite for every BreakerStore; each *.test.ts here runs it against one implementation.
import { describe, beforeEach, afterEach } from 'node:test';
import { resolveBreakerPolicy, type BreakerPolicy, type BreakerPolicyInput, type BreakerRecordResult } from '../../src/breaker';
import type { BreakerStore } from '../../src/store';
import { closedBreakerCases } from './breaker-store-closed.cases';
import { recoveryBreakerCases } from './breaker-store-recovery.cases';

export interface BreakerStoreFixture {
	store: BreakerStore;
	/** Moves the store's clock forward (fake clock, or an offset added to Redis TIME). */
	advance(ms: number): void;
	teardown(): Promise<void>;
}

/** What the case files see: the current test's store and clock, plus small helpers. */
export interface BreakerContractContext {
	readonly store: BreakerStore;
	advance(ms: number): void;
	P(o?: BreakerPolicyInput): BreakerPolicy;
	fail(key: string, p: BreakerPolicy, n?: number, extra?: { retryAfterMs?: number }): Promise<BreakerRecordResult[]>;
	seq<T>(n: number, fn: () => Promise<T>): Promise<T[]>;
}

export function breakerStoreContract(name: string, setup: () => Promise<BreakerStoreFixture>): void {
	describe(`BreakerStore contract: ${name}`, () => {
		let f: BreakerStoreFixture;
		beforeEach(async () => {
			f = await setup();
		});
		afterEach(async () => f.teardown());

		async function seq<T>(n: number, fn: () => Promise<T>): Promise<T[]> {
			const out: T[] = [];
			for (let i = 0; i < n; i++) out.push(await fn());
			return out;
		}
		const c: BreakerContractContext = {
			get store() {
				return f.store;
			},
			advance: (ms) => f.advance(ms),
			P: (o = {}) => resolveBreakerPolicy(o),
			fail: (k, p, n = 1, extra = {}) => seq(n, () => f.store.record(k, { kind: 'failure', ...extra }, p)),
			seq,
		};
		closedBreakerCases(c);
		recoveryBreakerCases(c);
	});
}
