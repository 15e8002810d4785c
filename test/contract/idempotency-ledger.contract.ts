// One behaviour suite for every IdempotencyLedger; each idempotency-*.test.ts here runs it against one implementation.
import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { fingerprint, type ClaimResult, type IdempotencyLedger } from '../../src/idempotency';

export interface LedgerFixture {
	ledger: IdempotencyLedger;
	/** The same store under another namespace (another workflow, or the global scope). */
	inNamespace(namespace: string): IdempotencyLedger;
	/** Moves the store's clock forward (fake clock, or an offset added to Redis TIME). */
	advance(ms: number): void;
	teardown(): Promise<void>;
}

const DAY = 86_400_000;
/** Redis time runs on between calls, so times are compared within this; exact edges are unit-tested on the pure logic. */
const SLACK = 250;
const near = (actual: number | undefined, expected: number, what: string) =>
	assert.ok(actual !== undefined && Math.abs(actual - expected) <= SLACK, `${what}: ${actual} is not within ${SLACK} ms of ${expected}`);

export function idempotencyLedgerContract(name: string, setup: () => Promise<LedgerFixture>): void {
	describe(`IdempotencyLedger contract: ${name}`, () => {
		let f: LedgerFixture;
		let s: IdempotencyLedger;
		beforeEach(async () => {
			f = await setup();
			s = f.ledger;
		});
		afterEach(async () => f.teardown());
		const claim = (key: string, owner: string, extra: { leaseMs?: number; fingerprint?: string; ttlMs?: number } = {}) =>
			s.claim(key, { owner, leaseMs: 10_000, ...extra });
		const status = (r: ClaimResult) => r.status;

		it('the first claim is new; others see it in progress until it completes, then get the stored result', async () => {
			const a = await claim('evt_1', 'A');
			assert.equal(a.status, 'new');
			const t0 = (await s.check('evt_1')).now;
			assert.ok(a.status === 'new' && a.attempt === 1 && a.owner === 'A');
			near(a.leaseExpiresAt, t0 + 10_000, 'lease end');
			const b = await claim('evt_1', 'B');
			assert.deepEqual(b, { status: 'in-progress', owner: 'A', leaseExpiresAt: a.leaseExpiresAt });
			f.advance(2500);
			const done = await s.complete('evt_1', 'A', { id: 'ALLOC_1', paid: true });
			assert.ok(done.status === 'completed');
			near(done.completedAt, t0 + 2500, 'completedAt');
			assert.equal(done.expiresAt, done.completedAt + DAY, 'default TTL 24 h');
			f.advance(1000);
			const dup = await claim('evt_1', 'C');
			assert.ok(dup.status === 'duplicate');
			assert.deepEqual(dup.result, { id: 'ALLOC_1', paid: true });
			assert.deepEqual([dup.completedAt, dup.attempt], [done.completedAt, 1]);
			near(dup.firstDoneAt, t0, 'firstDoneAt is the first claim');
		});

		it('only the owner completes or releases; a refused call changes nothing', async () => {
			await claim('k', 'A');
			assert.deepEqual(await s.complete('k', 'B', { stolen: true }), { status: 'rejected', reason: 'not-owner', owner: 'A' });
			assert.deepEqual(await s.release('k', 'B'), { status: 'rejected', reason: 'not-owner', owner: 'A' });
			const v = await s.check('k');
			assert.deepEqual([v.state, v.owner, v.result], ['in-progress', 'A', undefined]);
			assert.deepEqual(await s.complete('never', 'A', 1), { status: 'rejected', reason: 'not-claimed' });
			assert.deepEqual(await s.release('never', 'A'), { status: 'rejected', reason: 'not-claimed' });
			assert.equal((await s.check('never')).state, 'absent', 'a refused complete does not create a record');
		});

		it('release after a failure lets a later attempt run; the first-claim time and attempt count are kept', async () => {
			await claim('lead-7:crm', 'A');
			const t0 = (await s.check('lead-7:crm')).now;
			f.advance(500);
			assert.deepEqual(await s.release('lead-7:crm', 'A'), { status: 'released', attempt: 1 });
			assert.equal((await s.check('lead-7:crm')).state, 'released');
			assert.deepEqual(await s.complete('lead-7:crm', 'A', 'late'), { status: 'rejected', reason: 'not-claimed' }, 'a released claim cannot complete');
			const again = await claim('lead-7:crm', 'B');
			assert.ok(again.status === 'new' && again.attempt === 2 && !again.tookOver);
			const done = await s.complete('lead-7:crm', 'B', 'ok');
			const dup = await claim('lead-7:crm', 'C');
			assert.ok(dup.status === 'duplicate' && done.status === 'completed' && dup.completedAt === done.completedAt && dup.attempt === 2);
			near(dup.firstDoneAt, t0, 'firstDoneAt survives the release');
			near(dup.completedAt, t0 + 500, 'completedAt');
		});

		it('an expired lease frees the key (not before), with a note; the stale holder can no longer settle it', async () => {
			const held = await claim('crash', 'dead', { leaseMs: 30_000 });
			assert.ok(held.status === 'new');
			f.advance(30_000 - SLACK);
			assert.equal(status(await claim('crash', 'B')), 'in-progress', 'just before the lease ends');
			const peek = await s.check('crash');
			assert.deepEqual([peek.state, peek.leaseExpired], ['in-progress', false]);
			f.advance(SLACK);
			const seen = await s.check('crash');
			assert.deepEqual([seen.state, seen.owner, seen.leaseExpired], ['in-progress', 'dead', true], 'check does not take over');
			const b = await claim('crash', 'B');
			assert.equal(b.status, 'new');
			assert.ok(b.status === 'new' && b.attempt === 2 && b.tookOver);
			assert.deepEqual([b.tookOver.previousOwner, b.tookOver.leaseExpiredAt], ['dead', held.leaseExpiresAt]);
			assert.match(b.tookOver.note, /took over an expired lease/);
			assert.deepEqual(await s.complete('crash', 'dead', 'zombie'), { status: 'rejected', reason: 'not-owner', owner: 'B' });
			assert.deepEqual(await s.release('crash', 'dead'), { status: 'rejected', reason: 'not-owner', owner: 'B' });
			assert.equal((await s.complete('crash', 'B', 'real')).status, 'completed');
			assert.ok((await claim('crash', 'C')).status === 'duplicate');
		});

		it('a holder past its lease still completes when nobody took over (ownership, not the clock, decides)', async () => {
			await claim('slow', 'A', { leaseMs: 1000 });
			f.advance(5000);
			assert.equal((await s.complete('slow', 'A', 'finally')).status, 'completed');
			const dup = await claim('slow', 'B');
			assert.ok(dup.status === 'duplicate' && dup.result === 'finally');
		});

		it('the same owner claiming again renews its lease instead of blocking itself', async () => {
			await claim('mine', 'A', { leaseMs: 1000 });
			f.advance(800);
			const r = await claim('mine', 'A', { leaseMs: 1000 });
			const now = (await s.check('mine')).now;
			assert.ok(r.status === 'new' && r.renewed === true && r.attempt === 1);
			near(r.leaseExpiresAt, now + 1000, 'renewed lease end');
			f.advance(700);
			assert.equal(status(await claim('mine', 'B')), 'in-progress', 'the renewed lease still holds');
		});

		it('the same key with another payload is a conflict, never a duplicate; the same payload is a duplicate', async () => {
			const fpA = fingerprint({ amount: 5000, customer: 'cus_1' });
			const fpB = fingerprint({ amount: 7000, customer: 'cus_1' });
			await claim('pay', 'A', { fingerprint: fpA });
			assert.deepEqual(await claim('pay', 'B', { fingerprint: fpB }), { status: 'conflict', storedFingerprint: fpA, state: 'in-progress' });
			await s.complete('pay', 'A', { ok: 1 });
			assert.deepEqual(await claim('pay', 'B', { fingerprint: fpB }), { status: 'conflict', storedFingerprint: fpA, state: 'completed' });
			assert.equal(status(await claim('pay', 'B', { fingerprint: fingerprint({ customer: 'cus_1', amount: 5000 }) })), 'duplicate');
			assert.equal(status(await claim('pay', 'B')), 'duplicate', 'a claim without a fingerprint is not compared');
			assert.equal((await s.check('pay')).fingerprint, fpA);
		});

		it('after a release the key is free for a corrected payload (no conflict)', async () => {
			await claim('fix', 'A', { fingerprint: 'f1' });
			await s.release('fix', 'A');
			const r = await claim('fix', 'B', { fingerprint: 'f2' });
			assert.equal(r.status, 'new');
			assert.equal((await s.check('fix')).fingerprint, 'f2');
		});

		it('a stored result lives for its TTL (24 h default, or the one given), then the key is new again', async () => {
			await claim('ttl', 'A');
			await s.complete('ttl', 'A', 'r');
			f.advance(DAY - SLACK);
			assert.equal(status(await claim('ttl', 'B')), 'duplicate');
			f.advance(SLACK);
			const fresh = await claim('ttl', 'B');
			assert.ok(fresh.status === 'new' && fresh.attempt === 1, 'an expired record is forgotten entirely');
			await s.complete('ttl', 'B', 'r2', 60_000);
			f.advance(60_000 - SLACK);
			assert.equal(status(await claim('ttl', 'C')), 'duplicate');
			f.advance(SLACK);
			assert.equal((await s.check('ttl')).state, 'absent');
		});

		it('an unfinished claim is forgotten after its record TTL (at least its lease)', async () => {
			await claim('orphan', 'A', { leaseMs: 5000, ttlMs: 60_000 });
			f.advance(60_000 - SLACK);
			assert.equal((await s.check('orphan')).state, 'in-progress');
			f.advance(SLACK);
			assert.equal((await s.check('orphan')).state, 'absent');
			await claim('short', 'A', { leaseMs: 5000, ttlMs: 1000 });
			f.advance(5000 - SLACK);
			assert.equal(status(await claim('short', 'B')), 'in-progress', 'the record outlives a shorter TTL while leased');
		});

		it('completing twice: the owner gets the first answer back, anyone else is refused', async () => {
			await claim('twice', 'A');
			const first = await s.complete('twice', 'A', 'one');
			f.advance(100);
			const again = await s.complete('twice', 'A', 'two');
			assert.ok(first.status === 'completed' && again.status === 'completed');
			assert.deepEqual([again.alreadyCompleted, again.completedAt], [true, first.completedAt]);
			assert.deepEqual(await s.complete('twice', 'B', 'x'), { status: 'rejected', reason: 'already-completed', owner: 'A' });
			assert.deepEqual(await s.release('twice', 'A'), { status: 'rejected', reason: 'already-completed', owner: 'A' });
			const v = await s.check('twice');
			assert.deepEqual([v.state, v.result], ['completed', 'one']);
		});

		it('check is read-only and reports every state', async () => {
			const absent = await s.check('c');
			assert.deepEqual([absent.key, absent.state, absent.attempt], ['c', 'absent', 0]);
			await claim('c', 'A', { fingerprint: 'fp' });
			const held = await s.check('c');
			assert.deepEqual([held.state, held.owner, held.fingerprint, held.leaseExpired], ['in-progress', 'A', 'fp', false]);
			near(held.leaseExpiresAt, held.now + 10_000, 'lease end');
			await s.check('c');
			assert.equal(status(await claim('c', 'B')), 'in-progress');
			await s.complete('c', 'A', [1, 2]);
			const done = await s.check('c');
			assert.deepEqual([done.state, done.result, done.expiresAt, done.leaseExpiresAt], ['completed', [1, 2], done.completedAt! + DAY, undefined]);
			near(done.completedAt, done.now, 'completedAt');
		});

		it('stores results exactly as JSON round-trips them', async () => {
			const result = { empty: [], obj: {}, nested: { list: [{ a: null }, 'é✓😀', 0.1, -3], big: 9007199254740991 }, t: true, s: '' };
			for (const [i, r] of [result, null, [], 'text', 42, undefined].entries()) {
				await claim(`json-${i}`, 'A');
				await s.complete(`json-${i}`, 'A', r);
				const d = await claim(`json-${i}`, 'B');
				assert.ok(d.status === 'duplicate');
				assert.deepEqual(d.result, r === undefined ? null : r);
			}
		});

		it('keys are independent and namespaces (workflow or global scope) are separate', async () => {
			const odd = 'wf {1}: événement/ü "x"';
			await claim(odd, 'A');
			assert.equal(status(await claim(`${odd} `, 'B')), 'new');
			assert.equal(status(await claim(odd, 'B')), 'in-progress');
			const other = f.inNamespace('wf:other');
			assert.equal(status(await other.claim(odd, { owner: 'B' })), 'new', 'another workflow has its own keys');
			assert.equal((await f.inNamespace('global').check(odd)).state, 'absent');
		});

		it('of 50 concurrent claims on one key exactly one is new', async () => {
			const all = await Promise.all(Array.from({ length: 50 }, (_, i) => claim('race', `o${i}`)));
			const winners = all.filter((r) => r.status === 'new');
			assert.equal(winners.length, 1);
			assert.equal(all.filter((r) => r.status === 'in-progress').length, 49);
			const w = winners[0].status === 'new' ? winners[0].owner : '';
			assert.ok(all.every((r) => r.status !== 'in-progress' || r.owner === w));
		});

		it('refuses bad input before touching the store', async () => {
			await assert.rejects(s.claim('', { owner: 'A' }), /non-empty string/);
			await assert.rejects(s.claim('k', { owner: '' }), /owner token/);
			await assert.rejects(s.claim('k', { owner: 'A', leaseMs: 0 }), /lease/);
			await assert.rejects(s.claim('k', { owner: 'A', ttlMs: 1.5 }), /TTL/);
			await claim('big', 'A');
			await assert.rejects(s.complete('big', 'A', 'x'.repeat(300 * 1024)), /over the \d+-byte limit/);
			assert.equal((await s.check('big')).state, 'in-progress');
			assert.equal((await s.check('k')).state, 'absent');
		});
	});
}
