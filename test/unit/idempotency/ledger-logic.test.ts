// Exact edges of the ledger rules on the pure functions (the contract suite checks both stores with some slack).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ledgerLogic as L, DEFAULT_LEASE_MS, DEFAULT_TTL_MS, type LedgerRecord } from '../../../src/idempotency';

const T = 1_790_000_000_000;
const c = (owner: string, extra: Partial<L.ResolvedClaim> = {}): L.ResolvedClaim => ({ owner, leaseMs: 1000, fingerprint: '', ttlMs: 60_000, ...extra });

describe('ledger rules', () => {
	it('defaults: 5 min lease, 24 h TTL; the record lives at least as long as its lease', () => {
		assert.deepEqual(L.resolveClaim('k', { owner: 'A' }, DEFAULT_TTL_MS), { owner: 'A', leaseMs: DEFAULT_LEASE_MS, fingerprint: '', ttlMs: DEFAULT_TTL_MS });
		assert.equal(L.resolveClaim('k', { owner: 'A', leaseMs: 10_000, ttlMs: 10 }, DEFAULT_TTL_MS).ttlMs, 10_000);
		assert.throws(() => L.resolveClaim('x'.repeat(1025), { owner: 'A' }, 1), /longer than 1024/);
	});

	it('a lease holds until exactly its end and is taken over at it', () => {
		const rec = L.claim(undefined, c('A'), T).store!;
		assert.equal(rec.leaseExpiresAt, T + 1000);
		assert.equal(L.claim(rec, c('B'), T + 999).result.status, 'in-progress');
		const taken = L.claim(rec, c('B'), T + 1000);
		assert.ok(taken.result.status === 'new' && taken.result.tookOver?.leaseExpiredAt === T + 1000);
		assert.equal(L.viewOf('k', rec, T + 999).leaseExpired, false);
		assert.equal(L.viewOf('k', rec, T + 1000).leaseExpired, true);
	});

	it('a record is live until exactly its expiry', () => {
		let rec = L.claim(undefined, c('A'), T).store!;
		rec = L.complete(rec, 'A', '"r"', 5000, T + 10).store!;
		assert.equal(rec.expiresAt, T + 5010);
		assert.equal(L.claim(rec, c('B'), T + 5009).result.status, 'duplicate');
		assert.equal(L.claim(rec, c('B'), T + 5010).result.status, 'new');
		assert.equal(L.complete(rec, 'A', '"x"', 1, T + 5010).result.status, 'rejected');
	});

	it('deciding never mutates the record it was given', () => {
		const rec: LedgerRecord = L.claim(undefined, c('A'), T).store!;
		const copy = structuredClone(rec);
		L.claim(rec, c('B'), T + 5000);
		L.complete(rec, 'A', '1', 10, T);
		L.release(rec, 'A', T);
		assert.deepEqual(rec, copy);
	});

	it('refuses results that are not JSON or too large', () => {
		assert.equal(L.encodeResult(undefined), 'null');
		assert.throws(() => L.encodeResult(() => 1), /JSON-serialisable/);
		assert.throws(() => L.encodeResult('x'.repeat(20), 10), /over the 10-byte limit/);
		assert.throws(() => L.encodeResult(1n), /BigInt/);
	});
});
