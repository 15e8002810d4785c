// Parameter parsing: what a GTM engineer types becomes a request and policy overrides, or a ConfigError naming the field.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { isConfigError } from '../../nodes/shared/configError';
import { fullUrl, parseBodyRules, parseOptions, parseRequest, parseStatusList, type RawRequestParams } from '../../nodes/shared/params';

const base: RawRequestParams = { method: 'post', url: 'https://api.example.com/v1/contacts', bodyType: 'none' };

function configErrorOf(fn: () => unknown): { parameter: string; message: string } {
	try {
		fn();
	} catch (e) {
		assert.ok(isConfigError(e), `expected a ConfigError, got ${String(e)}`);
		return e;
	}
	assert.fail('expected a ConfigError');
}

describe('parseRequest', () => {
	it('upper-cases the method and keeps query and headers as strings', () => {
		const r = parseRequest({
			...base,
			queryParameters: [{ name: 'limit', value: 10 }],
			headerParameters: [{ name: 'X-Trace', value: 'abc' }, { name: '', value: '' }],
		});
		assert.equal(r.method, 'POST');
		assert.deepEqual(r.qs, { limit: '10' });
		assert.deepEqual(r.headers, { 'X-Trace': 'abc' });
		assert.equal(r.body, undefined);
	});

	it('rejects a relative or non-http URL naming the url parameter', () => {
		assert.equal(configErrorOf(() => parseRequest({ ...base, url: '/contacts' })).parameter, 'url');
		assert.equal(configErrorOf(() => parseRequest({ ...base, url: 'ftp://example.com/x' })).parameter, 'url');
		// An expression that found nothing in the item says so, rather than quoting an empty string.
		assert.match(configErrorOf(() => parseRequest({ ...base, url: '' })).message, /^URL is empty \(if it is an expression, it gave nothing for this item\)/);
		assert.equal(configErrorOf(() => parseRequest({ ...base, method: 'TRACE' })).parameter, 'method');
	});

	it('serialises a JSON body from a string or an object and sets the content type once', () => {
		const a = parseRequest({ ...base, bodyType: 'json', jsonBody: '{"email":"a@example.com"}' });
		assert.equal(a.body, '{"email":"a@example.com"}');
		assert.equal(a.headers['Content-Type'], 'application/json');
		const b = parseRequest({ ...base, bodyType: 'json', jsonBody: { n: 1 }, headerParameters: [{ name: 'content-type', value: 'application/vnd.api+json' }] });
		assert.equal(b.body, '{"n":1}');
		assert.deepEqual(b.headers, { 'content-type': 'application/vnd.api+json' });
	});

	it('names jsonBody when the JSON is broken', () => {
		const e = configErrorOf(() => parseRequest({ ...base, bodyType: 'json', jsonBody: '{"email": ' }));
		assert.equal(e.parameter, 'jsonBody');
		assert.match(e.message, /not valid JSON/);
	});

	it('refuses a JSON body that evaluated to nothing instead of sending {}', () => {
		for (const jsonBody of [undefined, null, '', '   ']) {
			const e = configErrorOf(() => parseRequest({ ...base, bodyType: 'json', jsonBody }));
			assert.equal(e.parameter, 'jsonBody');
			assert.match(e.message, /evaluated to nothing/);
		}
	});

	it('url-encodes form fields and passes raw bodies with their content type', () => {
		const f = parseRequest({ ...base, bodyType: 'form', formParameters: [{ name: 'a', value: 'x y' }, { name: 'b', value: '&' }] });
		assert.equal(f.body, 'a=x+y&b=%26');
		assert.equal(f.headers['Content-Type'], 'application/x-www-form-urlencoded');
		const r = parseRequest({ ...base, bodyType: 'raw', rawBody: '<a/>', rawContentType: 'application/xml' });
		assert.equal(r.body, '<a/>');
		assert.equal(r.headers['Content-Type'], 'application/xml');
	});

	it('a header name with a space or a value with a line break is a configuration error naming headerParameters, not a network failure', () => {
		for (const headerParameters of [[{ name: 'Bad Header', value: 'x' }], [{ name: 'X-Ok', value: 'a\r\nInjected: 1' }], [{ name: 'Spaß', value: 'x' }]]) {
			const e = configErrorOf(() => parseRequest({ ...base, headerParameters }));
			assert.equal(e.parameter, 'headerParameters');
		}
		assert.match(configErrorOf(() => parseRequest({ ...base, headerParameters: [{ name: 'Bad Header', value: 'x' }] })).message, /"Bad Header" is not a valid header name/);
		assert.deepEqual(parseRequest({ ...base, headerParameters: [{ name: 'X-Api_Key.v2', value: 'ok' }] }).headers, { 'X-Api_Key.v2': 'ok' });
	});

	it('fullUrl appends the query to the URL', () => {
		assert.equal(fullUrl({ url: 'https://x.example.com/a?b=1', qs: { c: '2' } }), 'https://x.example.com/a?b=1&c=2');
	});
});

describe('parseOptions', () => {
	it('maps only the options the user added onto policy overrides', () => {
		const o = parseOptions({ maxAttempts: 6, baseDelayMs: 250, retryOnStatus: '409, 425', permanentStatus: '404', jitter: 'additive', retryNonIdempotent: true });
		assert.deepEqual(o.overrides, {
			maxAttempts: 6,
			baseDelayMs: 250,
			retryOnStatus: [409, 425],
			permanentStatus: [404],
			jitter: 'additive',
			retryNonIdempotent: true,
		});
		assert.equal(o.concurrency, 5, 'five items in flight by default');
		assert.equal(o.idempotencyMode, 'none');
		assert.equal(o.responseFormat, 'auto');
		assert.deepEqual(parseOptions({}).overrides, {});
	});

	it('rejects bad values naming the option', () => {
		assert.equal(configErrorOf(() => parseOptions({ maxAttempts: -1 })).parameter, 'options.maxAttempts');
		assert.equal(configErrorOf(() => parseOptions({ timeoutMs: -5 })).parameter, 'options.timeoutMs');
		assert.equal(configErrorOf(() => parseOptions({ jitter: 'wild' })).parameter, 'options.jitter');
		assert.equal(configErrorOf(() => parseOptions({ retryOnStatus: '429, abc' })).parameter, 'options.retryOnStatus');
		assert.equal(configErrorOf(() => parseOptions({ idempotencyMode: 'custom', idempotencyKey: ' ' })).parameter, 'options.idempotencyKey');
	});

	it('an option added in the editor at its default (0, or the empty jitter) keeps the preset\'s value', () => {
		const o = parseOptions({ maxAttempts: 0, baseDelayMs: 0, maxDelayMs: 0, maxRetryWindowMs: 0, timeoutMs: 0, jitter: '' });
		assert.deepEqual(o.overrides, {});
		assert.deepEqual(parseOptions({ maxAttempts: 2, timeoutMs: 500 }).overrides, { maxAttempts: 2, timeoutMs: 500 });
	});

	it('reads status lists separated by commas, spaces or semicolons', () => {
		assert.deepEqual(parseStatusList('429;503 504', 'x'), [429, 503, 504]);
		assert.equal(parseStatusList('', 'x'), undefined);
		assert.equal(configErrorOf(() => parseStatusList('99', 'x')).parameter, 'x');
	});
});

describe('parseBodyRules', () => {
	it('accepts a JSON array of rules and gives unnamed rules an id', () => {
		const rules = parseBodyRules('[{"match":{"status":409,"bodyRegex":"locked"},"class":"transient"}]');
		assert.equal(rules.length, 1);
		assert.equal(rules[0].id, 'user.1');
		assert.deepEqual(parseBodyRules('[]'), []);
		assert.deepEqual(parseBodyRules(undefined), []);
	});

	it('rejects broken JSON, non-arrays, unknown classes and bad regexes', () => {
		for (const bad of ['[{', '{"a":1}', '[{"match":{},"class":"maybe"}]', '[{"match":{"bodyRegex":"("},"class":"transient"}]', '[{"match":{"pathRegex":"["},"class":"transient"}]', '[{"class":"transient"}]']) {
			assert.equal(configErrorOf(() => parseBodyRules(bad)).parameter, 'options.bodyRules', bad);
		}
	});
});

describe('idempotency options from expressions', () => {
	const options = (o: Record<string, unknown>) => () => parseOptions({ idempotencyMode: 'custom', ...o } as never);
	it('a Custom key that is null, an object or a list is refused naming options.idempotencyKey, never sent as "null"', () => {
		for (const [key, what] of [[null, 'empty'], [{ x: 1 }, 'an object'], [['a'], 'a list'], [true, 'a boolean']] as const) {
			const e = configErrorOf(options({ idempotencyKey: key }));
			assert.equal(e.parameter, 'options.idempotencyKey');
			assert.match(e.message, what === 'empty' ? /Idempotency Key is empty for this item/ : new RegExp(`must be text or a number, not ${what}`));
		}
		assert.equal(parseOptions({ idempotencyMode: 'custom', idempotencyKey: 42 } as never).customIdempotencyKey, '42');
		assert.equal(configErrorOf(options({ idempotencyKey: 'a\nb' })).parameter, 'options.idempotencyKey');
	});
	it('an Idempotency Header Name that is not a header name is a configuration error, not a network failure', () => {
		const e = configErrorOf(() => parseOptions({ idempotencyMode: 'auto', idempotencyHeader: 'Bad Header:' } as never));
		assert.equal(e.parameter, 'options.idempotencyHeader');
		assert.match(e.message, /"Bad Header:" is not a valid header name/);
		assert.equal(parseOptions({ idempotencyMode: 'auto', idempotencyHeader: ' Idempotency-Key ' } as never).idempotencyHeader, 'Idempotency-Key');
	});
});

describe('names given twice', () => {
	it('query: every value goes out, in order (id=1&id=2); a list from an expression gives one value each', () => {
		const r = parseRequest({ ...base, queryParameters: [{ name: 'id', value: '1' }, { name: 'id', value: '2' }, { name: 'tags', value: ['a', 'b'] as never }, { name: 'one', value: 'x' }] });
		assert.deepEqual(r.qs, { id: ['1', '2'], tags: ['a', 'b'], one: 'x' });
		assert.equal(fullUrl(r), 'https://api.example.com/v1/contacts?id=1&id=2&tags=a&tags=b&one=x');
	});
	it('form: every field goes out (tag=x&tag=y); headers: a second one is a configuration error, not a silent replace', () => {
		const f = parseRequest({ ...base, bodyType: 'form', formParameters: [{ name: 'tag', value: 'x' }, { name: 'tag', value: 'y' }] });
		assert.equal(f.body, 'tag=x&tag=y');
		const e = configErrorOf(() => parseRequest({ ...base, headerParameters: [{ name: 'X-A', value: '1' }, { name: 'x-a', value: '2' }] }));
		assert.equal(e.parameter, 'headerParameters');
		assert.match(e.message, /Header "x-a" is given twice/);
	});
});
