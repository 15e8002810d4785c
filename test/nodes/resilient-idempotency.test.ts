// Resilient HTTP's idempotency guard, pure parts: claim → send → settle on a real embedded ledger with a fake clock,
// the 409 "already exists" rule, and the shapes of duplicate, in-progress, conflict and resolved items.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { ResilientHttp } from '../../nodes/ResilientHttp/ResilientHttp.node.ts';
import { routeItem } from '../../nodes/ResilientHttp/actions/route';
import { parseTtlHours } from '../../nodes/ResilientHttp/actions/guard';
import {
	duplicateJson,
	guardLeaseMs,
	guardStopReport,
	mayHaveApplied,
	requestFingerprint,
	resolveConflict,
	runGuardedItem,
	type GuardedItem,
} from '../../nodes/shared/idempotencyGuard';
import { createEmbeddedCache } from '../../src/store/embedded/cache';
import { EmbeddedIdempotencyLedger } from '../../src/idempotency';
import type { AttemptRecord, ExecutionResult } from '../../src/types';

const attempt = (n: number, o: Partial<AttemptRecord>): AttemptRecord => ({
	attempt: n, startedAt: '', endedAt: '', durationMs: 1, headers: {}, bodyExcerpt: '', class: 'success', rule: 'r', reason: 'x', ...o,
});
const ok = (body: unknown): ExecutionResult => ({
	outcome: 'success',
	last: { kind: 'response', response: { status: 201, headers: {}, body: JSON.stringify(body) } },
	attempts: [attempt(1, { status: 201 })],
	warnings: [],
});
const conflict409 = (earlier: AttemptRecord[]): ExecutionResult => ({
	outcome: 'conflict',
	verdict: { class: 'conflict', reason: 'HTTP 409: Contact already exists. Existing ID: 501', rule: 'hubspot.conflict', breakerFailure: false, warnings: [], extract: { existingId: '501' } },
	last: { kind: 'response', response: { status: 409, headers: {}, body: '{"message":"Contact already exists. Existing ID: 501"}' } },
	attempts: [...earlier, attempt(earlier.length + 1, { status: 409, class: 'conflict' })],
	warnings: [],
});
const failed = (outcome: ExecutionResult['outcome']): ExecutionResult => ({ outcome, attempts: [attempt(1, { errorCode: 'ECONNRESET', class: 'ambiguous' })], warnings: [] });

function harness(now = { t: 1_000_000 }) {
	const ledger = new EmbeddedIdempotencyLedger({ namespace: 'wf:t', clock: { now: () => now.t }, cache: createEmbeddedCache(1000) });
	let sent = 0;
	const run = (key: string, result: ExecutionResult, o: { owner?: string; fp?: string; treat?: boolean } = {}) =>
		runGuardedItem({
			ledger, key, owner: o.owner ?? `o-${Math.random()}`, fingerprint: o.fp ?? 'fp', leaseMs: 60_000, ttlMs: 86_400_000,
			treatConflictAsResolved: o.treat ?? false, explain: (e) => String(e),
			run: async () => { sent++; return result; },
		});
	return { ledger, run, sent: () => sent, now };
}

describe('Resilient HTTP idempotency guard', () => {
	it('success completes: the same key again sends nothing and returns the stored body with an idempotency marker', async () => {
		const h = harness();
		const first = await h.run('k1', ok({ id: 7, name: 'Ada' }));
		assert.equal(first.status, 'executed');
		assert.equal((first as { action: string }).action, 'complete');
		h.now.t += 5000;
		const again = await h.run('k1', ok({ id: 8 }));
		assert.equal(h.sent(), 1, 'the duplicate sent no request');
		assert.equal(again.status, 'duplicate');
		const json = duplicateJson('k1', again as Extract<GuardedItem, { status: 'duplicate' }>);
		assert.equal(json.id, 7);
		assert.equal(json.name, 'Ada');
		assert.equal('resilience' in json || 'error' in json, false);
		assert.deepEqual(json.idempotency, { duplicate: true, ledgerId: 'k1', firstDoneAt: new Date(1_000_000).toISOString(), completedAt: new Date(1_000_000).toISOString(), storedOutcome: 'success', status: 201 });
	});

	it('permanent failure releases (a rerun sends); ambiguous keeps the key in progress until the lease ends', async () => {
		const h = harness();
		await h.run('perm', failed('failed-permanent'));
		assert.equal((await h.run('perm', ok({}))).status, 'executed');
		assert.equal(h.sent(), 2);
		const amb = await h.run('amb', failed('ambiguous'));
		assert.equal((amb as { action: string }).action, 'keep');
		const blocked = await h.run('amb', ok({}));
		assert.deepEqual(blocked, { status: 'in-progress', leaseExpiresAt: 1_000_000 + 60_000 });
		assert.equal(h.sent(), 3, 'no request while the lease holds');
		h.now.t += 60_001;
		const after = await h.run('amb', ok({}));
		assert.equal(after.status, 'executed');
		assert.ok((after as { tookOver?: unknown }).tookOver, 'the expired lease was taken over');
	});

	it('the same key with another payload is a conflict and sends nothing', async () => {
		const h = harness();
		await h.run('k', ok({}), { fp: requestFingerprint('POST', 'http://x/a', '{"a":1}') });
		const c = await h.run('k', ok({}), { fp: requestFingerprint('POST', 'http://x/a', '{"a":2}') });
		assert.deepEqual(c, { status: 'conflict' });
		assert.equal(h.sent(), 1);
		assert.equal(requestFingerprint('post', 'http://x/a', undefined), requestFingerprint('POST', 'http://x/a', undefined));
	});

	it('a 409 after our own ambiguous attempt is resolved and completed; a first-attempt 409 fails and releases unless treated as resolved', async () => {
		const own = conflict409([attempt(1, { errorCode: 'ECONNRESET', class: 'ambiguous' })]);
		assert.deepEqual(resolveConflict(own, false), { resolved: true, existingId: '501', why: 'own-retry' });
		assert.deepEqual(resolveConflict(conflict409([]), false), { resolved: false });
		assert.deepEqual(resolveConflict(conflict409([]), true), { resolved: true, existingId: '501', why: 'treat-as-resolved' });
		assert.deepEqual(resolveConflict(conflict409([attempt(1, { status: 429 })]), false), { resolved: false }, 'a 429 proves nothing was created');
		const h = harness();
		assert.equal(((await h.run('own', own)) as { action: string }).action, 'complete');
		const dup = (await h.run('own', ok({}))) as Extract<GuardedItem, { status: 'duplicate' }>;
		assert.equal(dup.stored.outcome, 'resolved-conflict');
		assert.equal(duplicateJson('own', dup).existingId, '501');
		assert.equal(((await h.run('theirs', conflict409([]))) as { action: string }).action, 'release');
	});

	it('mayHaveApplied: network failures after connecting, 5xx and 408 — not refused connections or 4xx', () => {
		assert.equal(mayHaveApplied(attempt(1, { errorCode: 'ETIMEDOUT' })), true);
		assert.equal(mayHaveApplied(attempt(1, { errorCode: 'ECONNREFUSED' })), false);
		assert.equal(mayHaveApplied(attempt(1, { status: 502 })), true);
		assert.equal(mayHaveApplied(attempt(1, { status: 429 })), false);
	});

	it('lease covers the retry window; TTL hours parse', () => {
		assert.equal(guardLeaseMs({ maxRetryWindowMs: 120_000, timeoutMs: 30_000 }), 300_000);
		assert.equal(guardLeaseMs({ maxRetryWindowMs: 600_000, timeoutMs: 30_000 }), 660_000);
		assert.equal(parseTtlHours(24), 86_400_000);
		assert.throws(() => parseTtlHours(0), /above 0/);
	});

	it('routes: duplicate → Success, in-progress → Failed with retryAt, resolved conflict → Success with existingId, unresolved → Failed with extract', () => {
		const facts = { method: 'POST', url: 'http://x/c', idempotencyKey: 'abc' };
		const base = { input: { email: 'a@b' }, i: 3, facts, format: 'auto' as const, treatConflictAsResolved: false };
		const dup = routeItem({ ...base, result: undefined, guarded: { status: 'duplicate', stored: { body: { id: 1 } }, firstDoneAt: 0, completedAt: 0 } });
		assert.equal(dup.output, 'success');
		assert.deepEqual(dup.item.pairedItem, { item: 3 });
		const ip = routeItem({ ...base, result: undefined, guarded: { status: 'in-progress', leaseExpiresAt: Date.UTC(2026, 0, 1) } });
		assert.equal(ip.output, 'failed');
		const rep = ip.item.json.resilience as Record<string, unknown>;
		assert.equal(rep.outcome, 'in-progress');
		assert.equal(rep.retryAt, '2026-01-01T00:00:00.000Z');
		assert.equal(ip.item.json.email, 'a@b');
		const cf = routeItem({ ...base, result: undefined, guarded: { status: 'conflict' } });
		assert.equal((cf.item.json.resilience as Record<string, unknown>).outcome, 'conflict');
		assert.equal((cf.item.json.resilience as Record<string, unknown>).rule, 'idempotency.conflict');
		const resolved = routeItem({ ...base, result: conflict409([attempt(1, { status: 504 })]) });
		assert.equal(resolved.output, 'success');
		assert.equal(resolved.item.json.existingId, '501');
		assert.equal(resolved.item.json.resolved, true);
		const theirs = routeItem({ ...base, result: conflict409([]) });
		assert.equal(theirs.output, 'failed');
		assert.deepEqual((theirs.item.json.resilience as Record<string, unknown>).extract, { existingId: '501' });
		assert.equal(routeItem({ ...base, treatConflictAsResolved: true, result: conflict409([]) }).output, 'success');
	});

	it('description: guard off by default, its own TTL, state parameters shown for the guard alone, conflict rule documented', () => {
		const d = new ResilientHttp().description;
		const guard = d.properties.find((p) => p.name === 'idempotencyGuard')!;
		assert.equal(guard.default, false);
		const backends = d.properties.filter((p) => p.name === 'stateBackend');
		assert.deepEqual(backends.map((p) => p.displayOptions?.show), [
			{ circuitBreaker: [true] },
			{ circuitBreaker: [false], idempotencyGuard: [true] },
			{ circuitBreaker: [false], idempotencyGuard: [false], rateLimit: ['preset', 'custom'] },
			// Dead letters kept "with the state backend" show it when none of the switches above does.
			{ circuitBreaker: [false], idempotencyGuard: [false], rateLimit: ['off'], deadLetter: [true], deadLetterBackend: ['state'] },
		]);
		assert.equal(d.properties.find((p) => p.name === 'idempotencyTtlHours')!.default, 24);
		assert.deepEqual(d.properties.filter((p) => p.name === 'stateNamespace').map((p) => p.default), ['global', '', 'global'], 'guard alone: the unnamed global scope, like the Idempotency Guard node');
		assert.match(String(d.description), /409/);
		const opts = d.properties.find((p) => p.name === 'options')!.options as { name: string; default: unknown }[];
		assert.equal(opts.find((o) => o.name === 'treatConflictAsResolved')!.default, false);
	});

	it('a ledger that does not answer defers the item (transient, retryAt ahead): the record is sent once it is back', () => {
		const before = Date.now();
		const r = guardStopReport('k1', { status: 'ledger-error', unreachable: true, message: 'Redis (127.0.0.1:6390) is unreachable' }, { method: 'POST', url: 'http://x/c' });
		assert.deepEqual([r.outcome, r.class, r.rule], ['deferred', 'transient', 'idempotency.store-unreachable']);
		assert.match(r.reason, /is unreachable; no request sent/);
		assert.ok(Date.parse(r.retryAt as string) >= before + 60_000);
		const other = guardStopReport('k1', { status: 'ledger-error', unreachable: false, message: 'bad script' }, { method: 'POST', url: 'http://x/c' });
		assert.deepEqual([other.outcome, other.class], ['failed-permanent', 'permanent']);
	});

	it('a copy of a request already in this batch says which item sends it, not "another execution"', () => {
		const r = guardStopReport('k2', { status: 'in-progress', leaseExpiresAt: Date.UTC(2026, 0, 1), sameBatchAs: 0 }, { method: 'POST', url: 'http://x/c' });
		assert.deepEqual([r.outcome, r.rule, r.sameBatchAs], ['in-progress', 'idempotency.same-batch', 0]);
		assert.match(r.reason, /^Item 0 of this execution carries the same request \(idempotency key k2\)/);
		const elsewhere = guardStopReport('k2', { status: 'in-progress', leaseExpiresAt: Date.UTC(2026, 0, 1) }, { method: 'POST', url: 'http://x/c' });
		assert.match(elsewhere.reason, /^Another execution holds idempotency key k2/);
	});
});
