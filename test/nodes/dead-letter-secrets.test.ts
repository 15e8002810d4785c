// The Sink's Write of an item that did not come from Resilient HTTP (fresh-user test r02): an n8n HTTP Request error
// as n8n 2.8.4 hands it over in memory (options.headers with the credential header, the echoed body), Also Mask.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IDataObject } from 'n8n-workflow';

import { DeadLetterSink } from '../../nodes/DeadLetterSink/DeadLetterSink.node.ts';
import { withFacts } from '../../nodes/DeadLetterSink/actions/common';
import { withBreaker } from '../../nodes/CircuitBreaker/actions/common';
import { withFacts as withGuardFacts } from '../../nodes/IdempotencyGuard/actions/common';
import { configReport, failedItem } from '../../nodes/shared/output';
import { inputErrorText, plainDraft } from '../../nodes/shared/deadLetterItem';
import { itemScrubOptions, parseMaskFields, safeInputError } from '../../nodes/shared/inputSecrets';
import { StaticDataDeadLetterStore } from '../../src/deadletter';

const S = {
	cred: 'HDRCRED-aaa111',
	cookie: 'COOKIE-eee555',
	custom: 'CUSTOMHDR-fff666',
	client: 'CLIENTHDR-3f9a1b2c',
	bodyPw: 'BODYPW-mmm333',
	path: 'PATHTOKEN-iii999',
	query: 'QUERYPARAM-kkk111',
	setCookie: 'SETCOOKIE-ooo555',
};

/** A live object the error holds (axios's ClientRequest): circular, never walked or output. */
class FakeClientRequest {
	self = this;
	headers = { 'x-api-key': S.cred };
}

/** What n8n 2.8.4's HTTP Request node puts on its error output in memory (see proxyRequestToAxios in n8n-core). */
function httpRequestError(): Error {
	const echo = { url: `/bot${S.path}/e400?access_token=${S.query}`, headers: { cookie: `session=${S.cookie}`, 'x-custom-token': S.custom, 'x-api-key': S.cred, 'x-client': S.client }, body: JSON.stringify({ password: S.bodyPw }) };
	const body = JSON.stringify(echo) + ` invalid key ${S.cred}`;
	const e = new Error(`400 - ${JSON.stringify(body)}`) as Error & Record<string, unknown>;
	Object.assign(e, {
		name: 'AxiosError',
		code: 'ERR_BAD_REQUEST',
		config: undefined,
		request: new FakeClientRequest(),
		response: { headers: { 'set-cookie': `sid=${S.setCookie}; HttpOnly`, 'content-type': 'application/json' }, status: 400, statusText: 'Bad Request' },
		status: 400,
		statusCode: 400,
		options: { url: `http://127.0.0.1:1/bot${S.path}/e400?access_token=${S.query}`, method: 'post', data: JSON.stringify({ password: S.bodyPw, mode: 'e400' }), headers: { Accept: '*/*', cookie: `session=${S.cookie}`, 'x-custom-token': S.custom, 'X-API-Key': S.cred, 'X-Client': S.client } },
		error: body,
		toJSON: () => ({ message: e.message, name: 'AxiosError', stack: e.stack, code: 'ERR_BAD_REQUEST', status: 400 }),
	});
	return e;
}

const origin = { workflowId: 'w', node: 'Plain HTTP', itemIndex: 0 };
const assertClean = (v: unknown, label: string) => {
	const text = JSON.stringify(v);
	for (const [k, s] of Object.entries(S)) assert.ok(!text.includes(s), `${label}: ${k} (${s}) leaked`);
};

describe('Dead Letter Sink Write of a plain HTTP Request error', () => {
	it('finds the secrets the error\'s own request carried: credential header, cookie, custom token headers, path, query, body, set-cookie', () => {
		const o = itemScrubOptions({ mode: 'e400', error: httpRequestError() as unknown as IDataObject }, {}, true);
		for (const s of Object.values(S)) assert.ok(o.secrets?.includes(s), `${s} not collected`);
		assert.ok(!o.secrets?.includes('*/*') && !o.secrets?.includes('post'), 'plain headers and fields are not secrets');
	});

	it('stores an entry whose reason keeps its shape with no secret in it, even one echoed bare', async () => {
		const input = { mode: 'e400', error: httpRequestError() as unknown as IDataObject };
		const scrub = itemScrubOptions(input, {}, true);
		const draft = plainDraft(input, { queue: 'q', reason: inputErrorText(input) ?? '', class: 'permanent' }, origin, scrub);
		assertClean(draft, 'draft');
		assert.match(draft.classification.reason, /^400 - "\{\\"url\\":\\"\/bot\[redacted\]\/e400\?access_token=\[redacted\]\\"/);
		assert.match(draft.classification.reason, /invalid key \[redacted\]/);
		const store = new StaticDataDeadLetterStore({ data: {} });
		const w = await store.write(draft);
		assertClean(await store.get(w.id), 'stored entry');
	});

	it('outputs the item with its error as n8n shows it, masked, and without the live request', () => {
		const input = { mode: 'e400', error: httpRequestError() as unknown as IDataObject };
		const out = withFacts(input, { id: 'dl_1' }, itemScrubOptions(input, {}, true));
		assertClean(out, 'output item');
		const err = (out.deadLetter as IDataObject).inputError as IDataObject;
		assert.deepEqual([err.name, err.code, err.status], ['AxiosError', 'ERR_BAD_REQUEST', 400]);
		assert.ok(!('request' in err) && !('options' in err));
		// No options given: withFacts still reads the item's own error for secrets
		assertClean(withFacts(input, { id: 'dl_1' }), 'default scrub');
		assert.deepEqual(safeInputError('token=abc123 rejected'), 'token=[redacted] rejected');
	});

	it('the Circuit Breaker, the Idempotency Guard and Resilient HTTP pass such an error on masked too', () => {
		const input = () => ({ mode: 'e400', error: httpRequestError() as unknown as IDataObject });
		assertClean(withBreaker(input(), {}), 'breaker item');
		assertClean(withGuardFacts(input(), 'idempotency', {}), 'guard item');
		const failed = failedItem(input(), configReport('url', 'bad', { method: 'GET', url: 'https://x.test/' }) as never, 0);
		assertClean(failed.json, 'Resilient HTTP Failed item');
		assert.equal(((failed.json.resilience as IDataObject).inputError as IDataObject).status, 400);
	});

	it('Also Mask: names and item paths the rules cannot know, and literal values; masked item fields are listed', async () => {
		const input = { customer: { ssn: '123-45-6789', name: 'Ann' }, rows: [{ ref: 'R-1' }], error: 'X-Client: shortval rejected, note QUIETSECRET' };
		assert.deepEqual(parseMaskFields('x-client, customer.ssn;rows.ref'), { names: ['x-client'], paths: ['customer.ssn', 'rows.ref'] });
		const scrub = itemScrubOptions(input, { fields: 'x-client, customer.ssn, rows.ref', values: ['QUIETSECRET'] }, true);
		const draft = plainDraft(input, { queue: 'q', reason: inputErrorText(input) ?? '', class: 'permanent' }, origin, scrub);
		assert.equal(draft.classification.reason, 'X-Client: [redacted]');
		assert.deepEqual(draft.item, { customer: { ssn: '[redacted]', name: 'Ann' }, rows: [{ ref: '[redacted]' }] });
		const store = new StaticDataDeadLetterStore({ data: {} });
		const e = (await store.write(draft)).entry;
		assert.deepEqual(e.redactedItemFields, ['customer.ssn', 'rows[0].ref'], 'the store\'s second pass keeps what the first masked');
		const plain = plainDraft(input, { queue: 'q', reason: inputErrorText(input) ?? '', class: 'permanent' }, origin, itemScrubOptions(input, {}, true));
		assert.match(plain.classification.reason, /shortval/, 'without Also Mask a plain custom header is not recognisable');
	});

	it('the Write options offer Also Mask Fields and Also Mask Values, and a notice says what cannot be known', () => {
		const props = new DeadLetterSink().description.properties;
		const opts = props.find((p) => p.name === 'writeOptions')?.options as { name: string }[];
		assert.deepEqual(opts.map((o) => o.name), ['class', 'retryAt', 'maskFields', 'maskValues']);
		const notice = props.find((p) => p.name === 'maskNotice');
		assert.match(String(notice?.displayName), /cannot know a credential that appears nowhere in the item/);
	});
});
