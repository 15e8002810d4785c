import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endpointBreakerKey, routeTemplate } from '../../../src/breaker';

test('ids, numbers and uuids become :id; the query goes; the host is lower-cased', () => {
	const cases: Array<[string, string]> = [
		['https://API.hubapi.com/crm/v3/objects/contacts/37765128953?archived=false', 'api.hubapi.com/crm/v3/objects/contacts/:id'],
		['https://x.test/v1/users/3f2b8c1e-9a4d-4e2f-8b1a-0c9d8e7f6a5b/notes/', 'x.test/v1/users/:id/notes'],
		['https://my.salesforce.com/services/data/v59.0/sobjects/Account/0015g00000XyZ12AAB', 'my.salesforce.com/services/data/v59.0/sobjects/Account/:id'],
		['https://api.stripe.com/v1/customers/cus_NffrFeUfNV2Hib', 'api.stripe.com/v1/customers/:id'],
		['https://db.test/items/507f1f77bcf86cd799439011', 'db.test/items/:id'],
		['https://crm.test/people/jane%40acme.com', 'crm.test/people/:id'],
		['http://localhost:8080/', 'localhost:8080'],
	];
	for (const [url, want] of cases) assert.equal(routeTemplate(url), want, url);
});

test('words, versions and resource names stay', () => {
	assert.equal(routeTemplate('https://api.openai.com/v1/chat/completions'), 'api.openai.com/v1/chat/completions');
	assert.equal(routeTemplate('https://a.test/api/v2/search'), 'a.test/api/v2/search');
	assert.equal(routeTemplate('not a url'), 'invalid-url');
});

test('the endpoint key is method + host + route, per credential', () => {
	const a = endpointBreakerKey({ method: 'get', url: 'https://a.test/contacts/1', credentialId: 'cred7' });
	const b = endpointBreakerKey({ method: 'GET', url: 'https://a.test/contacts/2?x=1', credentialId: 'cred7' });
	assert.equal(a, 'GET a.test/contacts/:id @cred7');
	assert.equal(a, b);
	assert.notEqual(a, endpointBreakerKey({ method: 'GET', url: 'https://a.test/contacts/1', credentialId: 'other' }));
	assert.notEqual(a, endpointBreakerKey({ method: 'DELETE', url: 'https://a.test/contacts/1', credentialId: 'cred7' }));
	assert.equal(endpointBreakerKey({ method: 'POST', url: 'https://a.test/contacts' }), 'POST a.test/contacts');
});

test('secrets in URLs never reach a breaker key: userinfo, query keys and webhook tokens are dropped', () => {
	const key = endpointBreakerKey({ method: 'POST', url: 'https://bot:s3cretPass@hooks.slack.com/services/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?api_key=sk_live_123' });
	assert.equal(key, 'POST hooks.slack.com/services/:id/:id/:id');
	for (const secret of ['s3cretPass', 'aB3dE5fG7hI9jK1lM3nO5pQ7', 'sk_live_123', 'bot']) assert.ok(!key.includes(secret), secret);
});
