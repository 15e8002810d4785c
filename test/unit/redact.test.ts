import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactDeep, redactHeaders, redactText, redactUrl, scrubSecrets, secretValues } from '../../src';
import { REDACTED } from '../../src/redact/redact';

test('redactHeaders masks auth, cookies and keys but keeps rate-limit counters', () => {
	const h = redactHeaders({ Authorization: 'Bearer abcdef123456', Cookie: 'a=b', 'X-API-Key': 'k', 'x-ratelimit-remaining-tokens': '10', 'x-auth-token': 't' });
	assert.equal(h.Authorization, '[redacted]');
	assert.equal(h.Cookie, '[redacted]');
	assert.equal(h['X-API-Key'], '[redacted]');
	assert.equal(h['x-auth-token'], '[redacted]');
	assert.equal(h['x-ratelimit-remaining-tokens'], '10');
});

test('redactUrl masks secret query values and passwords', () => {
	const u = redactUrl('https://user:pw@api.example.com/v1?hapikey=SECRET&page=2&access_token=T');
	assert.ok(!u.includes('SECRET') && !u.includes('pw@') && !u.includes('=T'));
	assert.match(u, /page=2/);
	assert.equal(redactUrl('not a url ?token=abc'), 'not a url ?token=[redacted]');
});

test('redactDeep masks secret keys and bearer strings at any depth', () => {
	const v = redactDeep({ a: { password: 'p', list: [{ apiKey: 'k', note: 'Bearer abcdefghijk' }] }, keep: 'x' });
	assert.deepEqual(v, { a: { password: '[redacted]', list: [{ apiKey: '[redacted]', note: 'Bearer [redacted]' }] }, keep: 'x' });
});

test('prose about tokens is kept while real credentials in text are masked', () => {
	assert.equal(redactText('retried once (again after a token refresh)'), 'retried once (again after a token refresh)');
	assert.equal(redactText('Basic authentication failed'), 'Basic authentication failed');
	assert.equal(redactText('Authorization: Bearer abc.def-123'), `Authorization: Bearer ${REDACTED}`);
	assert.equal(redactText('Token sk0123456789'), `Token ${REDACTED}`);
	assert.equal(redactText('bearer ABCDEFGHIJKLMNOPQRSTUV'), `bearer ${REDACTED}`);
});

test('secrets echoed back in error bodies are masked: JSON fields, header dumps, cookies, camelCase names, URL passwords', () => {
	const leaks = [
		'{"x-api-key":"S3CRETvalue"}',
		'{"cookie":"session=S3CRETvalue"}',
		'X-API-Key: S3CRETvalue',
		'{"apiKey":"S3CRETvalue"}',
		'Set-Cookie: sid=S3CRETvalue; Path=/',
		'https://h/x?apiToken=S3CRETvalue',
		'see https://h/x?accessKey=S3CRETvalue&page=2',
		'URL "http://admin:S3CRETvalue@exa mple.com/x" is not a valid absolute URL',
		'{"error":{"sessionToken":"S3CRETvalue","message":"denied"}}',
	];
	for (const t of leaks) assert.ok(!redactText(t).includes('S3CRET'), `leaks: ${t} → ${redactText(t)}`);
	assert.equal(redactText('{"message":"denied","page":2}'), '{"message":"denied","page":2}');
	assert.equal(redactText('HTTP 503 Service Unavailable: temporarily unavailable'), 'HTTP 503 Service Unavailable: temporarily unavailable');
	assert.equal(redactText('x-ratelimit-remaining-tokens: 10'), 'x-ratelimit-remaining-tokens: 10');
	assert.deepEqual(redactDeep({ idempotencyKey: 'k-123456', monkey: 'banana' }), { idempotencyKey: 'k-123456', monkey: 'banana' });
});

test('literal secrets the node sent are scrubbed even with no name in front', () => {
	const secrets = secretValues(['tok_ABCDEF123', 'abc', 'tok_ABCDEF123', 42, 'key-987654']);
	assert.deepEqual(secrets, ['tok_ABCDEF123', 'key-987654']);
	assert.equal(scrubSecrets('invalid credentials key-987654 and tok_ABCDEF123', secrets), 'invalid credentials [redacted] and [redacted]');
	const deep = redactDeep({ reason: 'bad key-987654', attempts: [{ bodyExcerpt: 'got tok_ABCDEF123' }] }, { secrets });
	assert.ok(!JSON.stringify(deep).includes('987654') && !JSON.stringify(deep).includes('ABCDEF'));
});
