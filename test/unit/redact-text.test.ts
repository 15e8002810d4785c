// Header dumps, cookie strings, JSON of header objects and n8n's error messages (fresh-user test r02): every secret
// value masked, every neighbouring header name and plain value kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactDeep, redactText } from '../../src';
import { bodyExcerpt } from '../../src/retry/attemptRecord';

const HEADERS = { accept: '*/*', cookie: 'session=COOKIE-eee555', 'x-custom-token': 'CUSTOMHDR-fff666', 'x-api-key': 'HDRCRED-aaa111', 'user-agent': 'axios/1.12.0' };
const SECRETS = ['COOKIE-eee555', 'CUSTOMHDR-fff666', 'HDRCRED-aaa111', 'BODYPW-mmm333', 'PATHTOKEN-iii999', 'QUERYPARAM-kkk111'];
const dump = Object.entries(HEADERS).map(([k, v]) => `${k}: ${v}`).join('\n');
const MASKED_DUMP = 'accept: */*\ncookie: [redacted]\nx-custom-token: [redacted]\nx-api-key: [redacted]\nuser-agent: axios/1.12.0';

function assertClean(out: string, label: string): void {
	for (const s of SECRETS) assert.ok(!out.includes(s), `${label}: ${s} survived in ${out}`);
}

test('a header dump: each secret header masked to the end of its own line, never into the next header', () => {
	assert.equal(redactText(dump), MASKED_DUMP);
	assert.equal(redactText(dump.replace(/\n/g, '\r\n')), MASKED_DUMP.replace(/\n/g, '\r\n'));
});

test('r02: a JSON-escaped dump no longer becomes "cookie: session=[redacted] CUSTOMHDR-fff666"', () => {
	const out = redactText(JSON.stringify(dump));
	assert.equal(out, JSON.stringify(MASKED_DUMP));
	assert.ok(!out.includes('session=[redacted] CUSTOMHDR'), out);
	// Escaped twice (a dump inside a JSON string inside a message), and with the JSON cut so it cannot be parsed
	assert.equal(redactText(JSON.stringify(JSON.stringify(dump))), JSON.stringify(JSON.stringify(MASKED_DUMP)));
	const cut = JSON.stringify(`{"dump":${JSON.stringify(dump)}`).slice(0, -12);
	assertClean(redactText(cut), 'cut');
	assert.match(redactText(cut), /cookie: \[redacted\]\\\\nx-custom-token: \[redacted\]\\\\nx-api-key: \[redacted\]\\\\nuser-agent/);
});

test('n8n 2.8.4 HTTP Request error message: the request echoed back as JSON inside the message string', () => {
	const echo = { url: '/botPATHTOKEN-iii999/e400?access_token=QUERYPARAM-kkk111', headers: HEADERS, body: JSON.stringify({ password: 'BODYPW-mmm333', mode: 'e400' }), dump };
	const message = `400 - ${JSON.stringify(JSON.stringify(echo))}`;
	const out = redactText(message);
	assertClean(out, 'message');
	const inner = JSON.parse(JSON.parse(out.slice('400 - '.length)) as string) as typeof echo;
	assert.deepEqual(inner.headers, { ...HEADERS, cookie: '[redacted]', 'x-custom-token': '[redacted]', 'x-api-key': '[redacted]' });
	assert.equal(inner.dump, MASKED_DUMP);
	assert.equal(inner.body, '{"password":"[redacted]","mode":"e400"}');
	assert.equal(inner.url, '/bot[redacted]/e400?access_token=[redacted]');
	// The plain-text 401 variant
	assertClean(redactText(`401 - ${JSON.stringify(`Unauthorized: ${dump}`)}`), '401');
});

test('cookie strings: every pair of a Cookie header, only secret-named pairs elsewhere, neighbours kept', () => {
	assert.equal(redactText('Cookie: session=S3CRET1; theme=dark'), 'Cookie: [redacted]');
	assert.equal(redactText('sent session=S3CRET1; theme=dark; sid=S3CRET2'), 'sent session=[redacted]; theme=dark; sid=[redacted]');
	assert.equal(redactText('Set-Cookie: sid=S3CRET1; HttpOnly; Path=/\nX-Request-Id: r-1'), 'Set-Cookie: [redacted]\nX-Request-Id: r-1');
	assert.equal(redactText('{"cookie":"session=S3CRET1; theme=dark","accept":"*/*"}'), '{"cookie":"[redacted]","accept":"*/*"}');
});

test('JSON of a headers object, pretty-printed, keeps its layout and its plain headers', () => {
	const pretty = JSON.stringify({ headers: { Authorization: 'Bearer abcdef123456', 'X-Tenant': 'acme' } }, null, 2);
	assert.equal(redactText(`failed: ${pretty}`), `failed: ${JSON.stringify({ headers: { Authorization: '[redacted]', 'X-Tenant': 'acme' } }, null, 2)}`);
	assert.equal(redactText('{"message":"denied","page":2}'), '{"message":"denied","page":2}', 'nothing to mask: the text is kept byte for byte');
});

test('quoted and JS-object forms: name: "value", util.inspect output', () => {
	assert.equal(redactText('X-API-Key: "abc12345" rejected'), 'X-API-Key: "[redacted]" rejected');
	assert.equal(redactText("{ 'x-api-key': 'abcdef123', token: 'xyz123456', ok: 'fine' }"), "{ 'x-api-key': '[redacted]', token: '[redacted]', ok: 'fine' }");
	assert.equal(redactText('api_key=abc123&page=2'), 'api_key=[redacted]&page=2');
});

test('an n8n error object (message, description, cause with request options) is masked by structure', () => {
	const err = {
		message: '401 - "Unauthorized"',
		description: `Request: ${JSON.stringify({ headers: HEADERS })}`,
		cause: { config: { headers: { 'X-API-Key': 'HDRCRED-aaa111', Accept: '*/*' }, url: 'https://h/botPATHTOKEN-iii999/x', data: '{"password":"BODYPW-mmm333"}' } },
	};
	const out = redactDeep(err);
	assertClean(JSON.stringify(out), 'error object');
	assert.deepEqual(out.cause.config.headers, { 'X-API-Key': '[redacted]', Accept: '*/*' });
	assert.equal(out.cause.config.url, 'https://h/bot[redacted]/x');
});

test('extra names and literals: a header the rules cannot know is masked when the user names it', () => {
	assert.equal(redactText('X-Client: plainvalue'), 'X-Client: plainvalue');
	assert.equal(redactText('X-Client: plainvalue', { names: ['x-client'] }), 'X-Client: [redacted]');
	assert.equal(redactText('{"X-Client":"plainvalue"}', { names: ['X-CLIENT'] }), '{"X-Client":"[redacted]"}');
	assert.equal(redactText('invalid key plainvalue', { secrets: ['plainvalue'] }), 'invalid key [redacted]');
	assert.deepEqual(redactDeep({ headers: { 'X-Client': 'CUSTOMSECRET12345', Accept: 'application/json' } }, { headerTokens: true }), { headers: { 'X-Client': '[redacted]', Accept: 'application/json' } });
});

test('large and unbalanced text stays fast; a large body is redacted only as far as its excerpt needs', () => {
	const t0 = Date.now();
	redactText('{'.repeat(50_000) + ' token=abc123');
	redactText('"a\\"'.repeat(20_000));
	const body = JSON.stringify({ headers: { 'x-api-key': 'HDRCRED-aaa111' }, rows: Array.from({ length: 20_000 }, (_, i) => ({ i, note: 'n'.repeat(40) })) });
	const excerpt = bodyExcerpt(body, 500);
	assert.ok(excerpt.startsWith('{"headers":{"x-api-key":"[redacted]"}') && excerpt.endsWith(`…(${body.length} chars)`), excerpt.slice(0, 80));
	assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);
});
