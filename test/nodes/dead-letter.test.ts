// The Dead Letter Sink and Trigger descriptions, Resilient HTTP's dead-letter switch, and the pure item helpers they share.
import { describe, it } from 'node:test';
import type { IDataObject } from 'n8n-workflow';
import assert from 'node:assert/strict';

// The .ts extension is explicit: a bare "….node" specifier resolves to a native addon.
import { DeadLetterSink } from '../../nodes/DeadLetterSink/DeadLetterSink.node.ts';
import { DeadLetterTrigger } from '../../nodes/DeadLetterTrigger/DeadLetterTrigger.node.ts';
import { ResilientHttp } from '../../nodes/ResilientHttp/ResilientHttp.node.ts';
import { deadLetterSettingsOf } from '../../nodes/ResilientHttp/actions/deadLetter';
import { humanAge } from '../../nodes/DeadLetterSink/actions/stats.operation';
import { depthJson, newEntryJson } from '../../nodes/DeadLetterTrigger/actions/events';
import { DEAD_LETTER_STATIC_DATA_NOTICE } from '../../nodes/shared/deadLetterProperties';
import { parseDeadLetterSettings } from '../../nodes/shared/deadLetterStore';
import { carryReplayLink, failureReportOf, inputErrorText, plainDraft, recordOf, storedDeadLetterId } from '../../nodes/shared/deadLetterItem';
import { resiliencePostgresConnectionTest } from '../../nodes/shared/postgresCredentialTest';
import { resilienceRedisConnectionTest } from '../../nodes/shared/redisCredentialTest';
import { StaticDataDeadLetterStore, replayItemJson } from '../../src/deadletter';

type Props = ReturnType<() => DeadLetterSink['description']['properties']>;
const propsNamed = (props: Props, name: string) => props.filter((p) => p.name === name);
const sink = new DeadLetterSink();
const trigger = new DeadLetterTrigger();
const sp = (name: string) => propsNamed(sink.description.properties, name)[0];
const parameter = (f: () => unknown) => {
	try {
		f();
	} catch (e) {
		return (e as { parameter?: string }).parameter;
	}
	return undefined;
};

const CREDENTIALS = [
	{ name: 'resilienceRedisApi', required: true, testedBy: 'resilienceRedisConnectionTest', displayOptions: { show: { backend: ['redis'] } } },
	{ name: 'resiliencePostgresApi', required: true, testedBy: 'resiliencePostgresConnectionTest', displayOptions: { show: { backend: ['postgres'] } } },
];

describe('Dead Letter Sink description', () => {
	it('is deadLetterSink with write (default), list, get, replay, resolve, discard and stats, one output', () => {
		const d = sink.description;
		assert.equal(d.name, 'deadLetterSink');
		assert.deepEqual(d.outputs, ['main']);
		assert.equal(sp('operation').default, 'write');
		const ops = (sp('operation').options as { value: string; name: string }[]);
		assert.deepEqual(ops.map((o) => o.value).sort(), ['discard', 'get', 'list', 'replay', 'resolve', 'stats', 'write']);
		assert.deepEqual(ops.map((o) => o.name), [...ops.map((o) => o.name)].sort(), 'options sorted as n8n lists them');
		assert.deepEqual(d.icon, { light: 'file:deadLetterSink.svg', dark: 'file:deadLetterSink.dark.svg' });
	});
	it('backend: static data by default with its limits and the manual-run caveat; Redis and PostgreSQL behind tested credentials', () => {
		assert.equal(sp('backend').default, 'staticData');
		assert.deepEqual((sp('backend').options as { value: string }[]).map((o) => o.value), ['staticData', 'redis', 'postgres']);
		assert.equal(sp('staticDataNotice').displayName, DEAD_LETTER_STATIC_DATA_NOTICE);
		assert.match(DEAD_LETTER_STATIC_DATA_NOTICE, /at most 200 dead letters \(100 per queue, 16 KB each\)/);
		assert.match(DEAD_LETTER_STATIC_DATA_NOTICE, /not after manual test runs/);
		assert.equal(sp('onStoreUnreachable').default, 'fail');
		assert.deepEqual(sp('onStoreUnreachable').displayOptions, { show: { backend: ['redis', 'postgres'] } });
		assert.deepEqual(sink.description.credentials, CREDENTIALS);
		assert.equal(sink.methods.credentialTest.resiliencePostgresConnectionTest, resiliencePostgresConnectionTest);
		assert.equal(sink.methods.credentialTest.resilienceRedisConnectionTest, resilienceRedisConnectionTest);
	});
	it('per-operation parameters: queue for write and replay, IDs from deadLetter.id, page size 50 (max 500), replay cap 100 (max 1000)', () => {
		const queue = propsNamed(sink.description.properties, 'queue');
		assert.deepEqual(queue.map((q) => q.displayOptions?.show?.operation), [['write'], ['replay']]);
		assert.ok(queue.every((q) => q.default === 'default' && q.required));
		for (const p of propsNamed(sink.description.properties, 'entryId')) assert.equal(p.default, '={{ $json.deadLetter.id }}');
		assert.deepEqual([sp('limit').default, sp('limit').typeOptions?.maxValue], [50, 500]);
		assert.deepEqual([sp('maxEntries').default, sp('maxEntries').typeOptions?.maxValue], [100, 1000]);
		assert.deepEqual(sp('statusFilter').default, ['new', 'requeued']);
		assert.equal(sp('target').default, 'id');
	});
	it('every parameter has a default, and a name repeats only under another operation or target', () => {
		const d = sink.description.properties;
		for (const p of d) assert.ok('default' in p, p.name);
		const key = (p: Props[number]) => `${p.name}:${JSON.stringify(p.displayOptions?.show?.operation ?? null)}:${JSON.stringify(p.displayOptions?.show?.target ?? null)}`;
		assert.equal(new Set(d.map(key)).size, d.length);
	});
});

describe('Dead Letter Trigger description', () => {
	it('a polling trigger with no input, both events by default, warning at 1 and critical above 50, the same backends', () => {
		const d = trigger.description;
		assert.equal(d.name, 'deadLetterTrigger');
		assert.equal(d.polling, true);
		assert.deepEqual([d.group, d.inputs, d.outputs], [['trigger'], [], ['main']]);
		const p = (name: string) => propsNamed(d.properties, name)[0];
		assert.deepEqual(p('events').default, ['newEntries', 'depth']);
		assert.deepEqual([p('warningDepth').default, p('criticalAbove').default], [1, 50]);
		assert.equal(p('backend').default, 'postgres');
		assert.deepEqual((p('backend').options as { value: string }[]).map((o) => o.value), ['redis', 'postgres'], 'an active poller only sees a stale copy of static data');
		assert.match(p('backendNotice').displayName, /workflow of its own/);
		assert.equal(p('onStoreUnreachable'), undefined, 'a trigger has nothing to park');
		assert.deepEqual(d.credentials, CREDENTIALS);
		assert.equal(typeof trigger.poll, 'function');
		assert.equal(trigger.methods.credentialTest.resiliencePostgresConnectionTest, resiliencePostgresConnectionTest);
	});
});

describe('Resilient HTTP dead-letter switch', () => {
	const d = new ResilientHttp().description;
	it('is off by default; its parameters show only when it is on', () => {
		assert.equal(propsNamed(d.properties, 'deadLetter')[0].default, false);
		for (const name of ['deadLetterBackend', 'deadLetterQueue', 'deadLetterOnUnreachable', 'deadLetterStaticDataNotice']) {
			assert.deepEqual(propsNamed(d.properties, name)[0].displayOptions?.show?.deadLetter, [true], name);
		}
		assert.equal(propsNamed(d.properties, 'deadLetterQueue')[0].default, 'default');
		assert.equal(propsNamed(d.properties, 'deadLetterOnUnreachable')[0].default, 'fail');
	});
	it('"same as state backend" follows it: embedded → static data, Redis → Redis; PostgreSQL is its own; a bad value names the parameter', () => {
		assert.deepEqual(deadLetterSettingsOf({ backend: 'state', stateBackend: 'embedded' }), { backend: 'staticData', onUnreachable: 'fail' });
		assert.deepEqual(deadLetterSettingsOf({ backend: 'state', stateBackend: 'redis', onUnreachable: 'fallback' }), { backend: 'redis', onUnreachable: 'fallback' });
		assert.deepEqual(deadLetterSettingsOf({ backend: 'postgres', stateBackend: 'redis' }), { backend: 'postgres', onUnreachable: 'fail' });
		assert.equal(parameter(() => deadLetterSettingsOf({ backend: 'mysql' })), 'deadLetterBackend');
		assert.equal(parameter(() => parseDeadLetterSettings({ backend: 'redis', onUnreachable: 'maybe' })), 'onStoreUnreachable');
		assert.equal(parameter(() => parseDeadLetterSettings({ backend: 'kafka' })), 'backend');
	});
});

const report = {
	outcome: 'failed-exhausted',
	class: 'transient',
	reason: 'HTTP 503',
	rule: 'status.503',
	status: 503,
	request: { method: 'POST', url: 'http://crm.test/contacts?api_key=[redacted]' },
	attempts: [],
	deadLetter: { id: 'dl_1', stored: true },
};

describe('items and dead letters', () => {
	it('a Resilient HTTP report is recognised; a look-alike without a request is not', () => {
		assert.equal(failureReportOf({ resilience: report })?.reason, 'HTTP 503');
		assert.equal(failureReportOf({ resilience: { outcome: 'x' } }), undefined);
		assert.equal(failureReportOf({ resilience: 'failed' }), undefined);
		assert.equal(storedDeadLetterId({ resilience: report }), 'dl_1');
		assert.equal(storedDeadLetterId({ resilience: { ...report, deadLetter: { stored: false, error: 'down' } } }), undefined);
	});
	it('the stored record drops our keys and a top-level error, whose text becomes the reason', () => {
		assert.deepEqual(recordOf({ id: 1, resilience: report, deadLetter: { id: 'x' }, error: 'boom' }), { id: 1 });
		assert.equal(inputErrorText({ error: { message: 'Bad request - please check your parameters' } }), 'Bad request - please check your parameters');
		assert.equal(inputErrorText({ error: 'timeout' }), 'timeout');
		assert.equal(inputErrorText({ id: 1 }), undefined);
	});
	it('a plain item becomes an entry with the chosen class, reason and retryAt, no request and no attempts', async () => {
		const draft = plainDraft({ id: 7, error: 'x' }, { queue: 'manual', reason: 'no owner', class: 'permanent', retryAt: '2030-01-01T00:00:00.000Z' }, { workflowId: 'w', node: 'Code', itemIndex: 3 });
		const store = new StaticDataDeadLetterStore({ data: {} });
		const { entry } = await store.write(draft);
		assert.deepEqual([entry.queue, entry.item, entry.classification.class, entry.classification.reason, entry.retryAt, entry.attempts.length], ['manual', { id: 7 }, 'permanent', 'no owner', '2030-01-01T00:00:00.000Z', 0]);
		assert.deepEqual([entry.workflowId, entry.node, entry.itemIndex], ['w', 'Code', 3]);
		// Round trip: the replayed item carries the link, and a Success item after it keeps the link.
		const replayed = replayItemJson(entry);
		const success = carryReplayLink(replayed as IDataObject, { contactId: 'c1', deadLetter: 'the API\'s own field' });
		assert.deepEqual(success, { contactId: 'c1', responseDeadLetter: 'the API\'s own field', deadLetter: replayed.deadLetter });
		assert.deepEqual(carryReplayLink({ id: 1 }, { ok: true }), { ok: true }, 'no link, nothing added');
	});
});

describe('trigger items', () => {
	const entry = {
		id: 'dl_9', queue: 'crm', status: 'new' as const, replayCount: 0, attemptCount: 2, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
		item: { id: 'lead-1' }, request: { method: 'POST', url: 'http://x', headers: {} }, attempts: [], workflowName: 'Leads', node: 'Upsert',
		classification: { outcome: 'failed-exhausted', class: 'transient', reason: 'HTTP 503 Service Unavailable', status: 503 },
	};
	it('a new entry says where it failed and why, in one message', () => {
		const j = newEntryJson(entry);
		assert.equal(j.event, 'new-entry');
		assert.equal(j.message, 'New dead letter in queue "crm": HTTP 503 Service Unavailable (workflow "Leads", node "Upsert")');
		assert.deepEqual([j.id, j.httpStatus, j.class], ['dl_9', 503, 'transient']);
	});
	it('depth crossings read as alerts and recoveries; ages read as people say them', () => {
		const t = { warning: 1, critical: 51 };
		assert.equal(depthJson({ queue: 'crm', from: 'warning', to: 'critical', depth: 57, oldestOpenAgeMs: 7_500_000 }, t).message, 'Dead-letter queue "crm" is CRITICAL: 57 record(s) waiting, the oldest for 2 h 5 min (more than 50)');
		assert.equal(depthJson({ queue: 'crm', from: 'ok', to: 'warning', depth: 1, oldestOpenAgeMs: 40_000 }, t).message, 'Dead-letter queue "crm" needs attention: 1 record(s) waiting, the oldest for 40 s');
		const ok = depthJson({ queue: 'crm', from: 'critical', to: 'ok', depth: 0 }, t);
		assert.deepEqual([ok.recovered, ok.message], [true, 'Dead-letter queue "crm" recovered from critical: 0 record(s) waiting']);
		assert.deepEqual([humanAge(undefined), humanAge(59_000), humanAge(3_600_000 * 50)], [undefined, '59 s', '2 d 2 h']);
	});
});
