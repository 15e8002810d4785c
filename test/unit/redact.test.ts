import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactDeep, redactHeaders, redactText, redactUrl } from '../../src';
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
