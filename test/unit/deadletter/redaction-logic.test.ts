// Redaction on write and the store-agnostic rules (ids, cursors, the replay merge, due-ness).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_ATTEMPTS_KEPT, sanitizeDraft, scrubText } from '../../../src/deadletter';
import * as L from '../../../src/deadletter/logic';
import { attempt, draft } from '../../contract/deadletter-fixtures';

describe('dead-letter redaction', () => {
	it('masks bearer values, secret query parameters of any name, cookie lines and token JSON fields in text', () => {
		assert.equal(scrubText('Authorization: Bearer abc.def.ghi'), 'Authorization: Bearer [redacted]');
		assert.equal(scrubText('https://x.test/p?X-Api-Key=k123&page=2'), 'https://x.test/p?X-Api-Key=[redacted]&page=2');
		assert.equal(scrubText('grant=1&client_secret=s3cr3t&refresh_token=r1'), 'grant=1&client_secret=[redacted]&refresh_token=[redacted]');
		assert.equal(scrubText('Cookie: a=1; b=2'), 'Cookie: [redacted]');
		assert.equal(scrubText('{"token":"t-123","ok":true}'), '{"token":"[redacted]","ok":true}');
		assert.equal(scrubText('x-ratelimit-remaining-tokens: 40'), 'x-ratelimit-remaining-tokens: 40', 'counters are not secrets');
	});

	it('a secret value in JSON-escaped text ends at the escaped line break: the next header keeps its name and loses its value', () => {
		assert.equal(scrubText('"cookie: a=1; b=2\\nmy_session_ref=S1\\nx-api-key: K1\\nhost: h"'), '"cookie: [redacted]\\nmy_session_ref=[redacted]\\nx-api-key: [redacted]\\nhost: h"');
		assert.equal(scrubText('https://hooks.slack.com/services/T1/B2/XYZSECRET?x=1'), 'https://hooks.slack.com/services/T1/B2/[redacted]?x=1');
	});

	it('sanitizeDraft masks secret-named fields at any depth, JSON text bodies by field name, and caps attempts and excerpts', () => {
		const many = Array.from({ length: 60 }, (_, i) => attempt(i + 1, 503, { bodyExcerpt: 'b'.repeat(3000) }));
		const d = sanitizeDraft(
			draft('q', {
				item: { profile: { apiKey: 'AK-1', credentials: { user: 'u', pass: 'p' } }, email: 'e@x.test' },
				request: { method: 'post', url: 'https://x.test/?token=T1', headers: { 'X-Auth-Token': 'T2', Accept: '*/*' }, body: '{"password":"P1","name":"n"}' },
				attempts: many,
			}),
		);
		assert.deepEqual(d.item, { profile: { apiKey: '[redacted]', credentials: '[redacted]' }, email: 'e@x.test' });
		assert.deepEqual(d.redactedItemFields, ['profile.apiKey', 'profile.credentials'], 'a replay can tell what it must restore');
		assert.deepEqual(sanitizeDraft(d).redactedItemFields, d.redactedItemFields, 'sanitizing twice changes nothing');
		assert.deepEqual(d.request, { method: 'POST', url: 'https://x.test/?token=[redacted]', headers: { 'X-Auth-Token': '[redacted]', Accept: '*/*' }, body: '{"password":"[redacted]","name":"n"}' });
		assert.equal(d.attempts.length, MAX_ATTEMPTS_KEPT);
		assert.equal(d.attempts[0].attempt, 11, 'the latest attempts are kept');
		assert.ok(d.attempts.every((a) => a.bodyExcerpt.length <= 1006));
	});
});

describe('dead-letter rules', () => {
	it('ids sort by time, then by creation order within one millisecond', () => {
		const ids = [L.newEntryId(1000), L.newEntryId(1000), L.newEntryId(1000), L.newEntryId(999_999)];
		assert.deepEqual([...ids].sort(), ids);
		assert.ok(ids.every((id) => /^dl_[0-9a-z]{13}[0-9a-f]{12}$/.test(id)));
	});

	it('cursors round-trip and a tampered one is refused', () => {
		assert.deepEqual(L.decodeCursor(L.encodeCursor(1234, 'dl_x')), { at: 1234, id: 'dl_x' });
		assert.equal(L.decodeCursor(undefined), undefined);
		assert.throws(() => L.decodeCursor('bm90IGpzb24'), /Invalid dead-letter list cursor/);
	});

	it('the replay merge replaces the latest failure, keeps the origin, appends attempts up to the cap', () => {
		const old = L.newEntry('dl_1', sanitizeDraft(draft('q', { retryAt: '2026-12-04T00:00:00.000Z', warnings: ['w'] })), Date.UTC(2026, 11, 1));
		const again = sanitizeDraft(draft('q', { n: 9, attempts: Array.from({ length: 49 }, (_, i) => attempt(i + 3)), executionId: 'e2' }));
		delete again.retryAt;
		const m = L.mergeReplayFailure({ ...old, status: 'requeued', replayCount: 1 }, again, Date.UTC(2026, 11, 2));
		assert.deepEqual([m.status, m.replayCount, m.attemptCount, m.attempts.length], ['new', 1, 51, MAX_ATTEMPTS_KEPT]);
		assert.deepEqual([m.attempts[0].attempt, m.attempts[49].attempt], [2, 51]);
		assert.deepEqual([m.itemIndex, m.item], [old.itemIndex, old.item], 'origin kept');
		assert.deepEqual([m.executionId, m.retryAt, m.warnings], ['e2', undefined, undefined], 'latest replaced as a whole');
		assert.deepEqual([m.createdAt, m.updatedAt], [old.createdAt, '2026-12-02T00:00:00.000Z']);
	});

	it('an entry is due when new and its retryAt has passed or is absent', () => {
		const e = L.newEntry('dl_1', sanitizeDraft(draft('q', { retryAt: '2026-12-04T00:00:00.000Z' })), 0);
		assert.equal(L.isDue(e, Date.parse('2026-12-03T23:59:59.999Z')), false);
		assert.equal(L.isDue(e, Date.parse('2026-12-04T00:00:00.000Z')), true);
		assert.equal(L.isDue({ ...e, retryAt: undefined }, 0), true);
		assert.equal(L.isDue({ ...e, status: 'requeued', retryAt: undefined }, 0), false);
	});
});
