// Drafts and secrets shared by the dead-letter contract suites.
import type { AttemptRecord } from '../../src/types';
import type { DeadLetterDraft, DeadLetterStore } from '../../src/deadletter';

export interface DeadLetterFixture {
	store: DeadLetterStore;
	/** Moves the store's clock forward (fake clock, or an offset added to server time). */
	advance(ms: number): void;
	/** Everything the backend holds for this fixture, as raw text (static-data JSON, Redis values, rows as text). */
	raw(): Promise<string>;
	teardown(): Promise<void>;
}

export type DeadLetterSetup = (o?: { maxPerQueue?: number }) => Promise<DeadLetterFixture>;

export function attempt(n: number, status = 503, extra: Partial<AttemptRecord> = {}): AttemptRecord {
	const start = Date.UTC(2026, 11, 3, 2, 47, n);
	return {
		attempt: n,
		startedAt: new Date(start).toISOString(),
		endedAt: new Date(start + 120).toISOString(),
		durationMs: 120,
		status,
		headers: { 'retry-after': '30', 'x-request-id': `req-${n}` },
		bodyExcerpt: `{"message":"Service Unavailable","n":${n}}`,
		class: 'transient',
		rule: 'status.503',
		reason: 'HTTP 503',
		...extra,
	};
}

export function draft(queue: string, o: Partial<DeadLetterDraft> & { n?: number; cls?: string } = {}): DeadLetterDraft {
	const { n = 1, cls = 'transient', ...rest } = o;
	return {
		queue,
		item: { email: `lead${n}@example.com`, company: 'Acme', tags: [], nested: { empty: {} } },
		request: { method: 'POST', url: 'https://api.hubapi.com/crm/v3/objects/contacts', headers: { 'content-type': 'application/json' }, body: { email: `lead${n}@example.com` } },
		classification: { outcome: 'failed', class: cls, reason: cls === 'permanent' ? 'HTTP 400' : 'HTTP 503', rule: 'status', status: cls === 'permanent' ? 400 : 503 },
		attempts: [attempt(1), attempt(2)],
		firstAttemptAt: attempt(1).startedAt,
		lastAttemptAt: attempt(2).endedAt,
		workflowId: 'wf1',
		workflowName: 'Lead sync',
		executionId: 'exec-1',
		node: 'Resilient HTTP',
		itemIndex: n,
		idempotencyKey: `lead-${n}`,
		...rest,
	};
}

/** Seeded secrets: none of these strings may appear anywhere in a store's raw data. */
export const SECRETS = {
	bearer: 'sk-live-BEARER-4f9a8b7c6d5e',
	apiKeyHeader: 'APIKEYHDR-0a1b2c3d4e5f6789',
	queryKey: 'QUERYKEY-9z8y7x6w5v',
	hapikey: 'HAPIKEY-123e4567e89b',
	cookie: 'COOKIESESSION-abcdef123456',
	setCookie: 'SETCOOKIE-sid-777888999',
	bodyToken: 'BODYTOKEN-aa11bb22cc33',
	bodyPassword: 'BODYPASS-hunter2hunter2',
	itemSecret: 'ITEMSECRET-q1w2e3r4t5',
	excerptToken: 'EXCERPTTOKEN-zzz999yyy',
	refresh: 'REFRESH-0987654321abcd',
};

/** Seeded secrets in the forms fresh-user test r02 found stored: URL paths, header dumps, escaped JSON, bare echoes. */
export const URL_AND_DUMP_SECRETS = {
	telegram: 'AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw',
	slackHook: 'SLACKHOOKsecret0abcdef12',
	discord: 'DISCORDtok-abc123def456ghi789',
	urlPassword: 'URLPW-s3cret99',
	dumpCookie: 'DUMPCOOKIE-111aaa',
	dumpCustom: 'DUMPCUSTOM-222bbb',
	dumpKey: 'DUMPKEY-333ccc',
	escapedPassword: 'ESCPW-444ddd',
	basicPassword: 'BASICPW-666fff',
	bareEcho: 'BAREECHO-555eee',
};
