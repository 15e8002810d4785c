// Real n8n resolves the credential types our node declares, and an OAuth2 401 refreshes once, retries once, then gives up.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { buildWorkflow, declaredNodeTypes, describeRun, startHost, type ExecResult, type Host, type NodeSpec } from './harness/host';
import { APP_TOKEN, QUERY_SECRET, assertNoSecrets, assertPaired, itemsNode, oauthData, outItems } from './oauth-mock/helpers';
import { BASIC_PASSWORD, QUERY_AUTH_SECRET, STALE_TOKEN, startOAuthMock, type OAuthMock } from './oauth-mock/server';

describe('Resilient HTTP with n8n credentials in real n8n', { timeout: 15 * 60_000 }, () => {
	let host: Host;
	let mock: OAuthMock;
	let type = '';
	let version = 1;
	let run: ExecResult;
	const creds = { app: '', hubspotOAuth: '', genericOAuth: '', basic: '', basicWrong: '', query: '' };

	before(async () => {
		mock = await startOAuthMock();
		const closedPort = await new Promise<number>((res) => {
			const s = createServer().listen(0, '127.0.0.1', () => {
				const port = (s.address() as AddressInfo).port;
				s.close(() => res(port));
			});
		});
		host = await startHost();
		const t = declaredNodeTypes().find((d) => d.type.endsWith('.resilientHttp'));
		assert.ok(t, 'package declares no resilientHttp node');
		type = t.type;
		version = t.version;
		[creds.app, creds.hubspotOAuth, creds.genericOAuth, creds.basic, creds.basicWrong, creds.query] = await host.importCredentials([
			{ name: 'HubSpot app token', type: 'hubspotAppToken', data: { appToken: APP_TOKEN } },
			{ name: 'HubSpot OAuth2', type: 'hubspotOAuth2Api', data: oauthData(mock, 'hubspot-client') },
			{ name: 'Generic OAuth2', type: 'oAuth2Api', data: oauthData(mock, 'generic-client', { authentication: 'header' }) },
			{ name: 'Basic', type: 'httpBasicAuth', data: { user: 'alice', password: BASIC_PASSWORD } },
			{ name: 'Basic wrong', type: 'httpBasicAuth', data: { user: 'alice', password: 'wrong-Secret-pw' } },
			{ name: 'Query', type: 'httpQueryAuth', data: { name: 'api_token', value: QUERY_AUTH_SECRET } },
		]);
		const http = (name: string, parameters: Record<string, unknown>, credentials?: NodeSpec['credentials']): NodeSpec => ({
			name,
			type,
			typeVersion: version,
			parameters: { preset: 'generic', method: 'GET', ...parameters },
			credentials,
		});
		const wf = buildWorkflow(
			'credentials e2e',
			[
				itemsNode('Items3', 3),
				itemsNode('Items1', 1),
				http(
					'AppToken',
					{ authentication: 'hubspotAppToken', url: `${mock.base}/api/echo`, sendQuery: true, queryParameters: { parameters: [{ name: 'page', value: '1' }] } },
					{ hubspotAppToken: { id: creds.app, name: 'HubSpot app token' } },
				),
				http(
					'OAuthRefresh',
					{ preset: 'hubspot', authentication: 'hubspotOAuth2Api', url: `=${mock.base}/api/contacts/{{ $json.row }}`, options: { concurrency: 3 } },
					{ hubspotOAuth2Api: { id: creds.hubspotOAuth, name: 'HubSpot OAuth2' } },
				),
				http(
					'OAuthTwice401',
					{ authentication: 'oAuth2Api', url: `${mock.base}/api/always-401` },
					{ oAuth2Api: { id: creds.genericOAuth, name: 'Generic OAuth2' } },
				),
				http('Missing', {
					preset: 'generic',
					url: `${mock.base}/api/missing`,
					sendQuery: true,
					queryParameters: { parameters: [{ name: 'api_key', value: QUERY_SECRET }] },
				}),
				http('BadUrl', { url: 'not a url' }, undefined),
				// n8n's Basic and Query Auth types have no authenticate rule: the node must apply them itself.
				http('Basic', { authentication: 'httpBasicAuth', url: `${mock.base}/api/auth-check` }, { httpBasicAuth: { id: creds.basic, name: 'Basic' } }),
				http('BasicWrong', { authentication: 'httpBasicAuth', url: `${mock.base}/api/auth-check` }, { httpBasicAuth: { id: creds.basicWrong, name: 'Basic wrong' } }),
				http(
					'Query',
					{ authentication: 'httpQueryAuth', url: `${mock.base}/api/auth-check`, sendQuery: true, queryParameters: { parameters: [{ name: 'page', value: '2' }] } },
					{ httpQueryAuth: { id: creds.query, name: 'Query' } },
				),
				http(
					'Reset',
					{ method: 'POST', authentication: 'hubspotAppToken', url: `${mock.base}/api/reset`, sendBody: true, bodyType: 'json', jsonBody: '{"a":1}' },
					{ hubspotAppToken: { id: creds.app, name: 'HubSpot app token' } },
				),
				http(
					'Refused',
					{ method: 'POST', authentication: 'hubspotAppToken', url: `http://127.0.0.1:${closedPort}/api/x`, options: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20 } },
					{ hubspotAppToken: { id: creds.app, name: 'HubSpot app token' } },
				),
				http('Timeout', { url: `${mock.base}/api/sleepy`, options: { timeoutMs: 200, maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20 } }),
				itemsNode('Items6', 6),
				http('Slow', { url: `${mock.base}/api/slow`, options: { concurrency: 2 } }),
				http('IdemPost', {
					method: 'POST',
					url: `${mock.base}/api/flaky-create`,
					sendBody: true,
					bodyType: 'json',
					jsonBody: '={{ JSON.stringify({ email: $json.email }) }}',
					options: { idempotencyMode: 'auto', baseDelayMs: 10, maxDelayMs: 20 },
				}),
			],
			[
				['Start', 'Items3'],
				['Start', 'Items1'],
				['Items3', 'AppToken'],
				['Items3', 'OAuthRefresh'],
				['Items1', 'OAuthTwice401'],
				['Items3', 'Missing'],
				['Items1', 'BadUrl'],
				['Items1', 'Basic'],
				['Items1', 'BasicWrong'],
				['Items1', 'Query'],
				['Items1', 'Reset'],
				['Items1', 'Refused'],
				['Items1', 'Timeout'],
				['Start', 'Items6'],
				['Items6', 'Slow'],
				['Items3', 'IdemPost'],
			],
		);
		(wf.nodes.find((n) => n.name === 'BadUrl') as Record<string, unknown>).onError = 'continueRegularOutput';
		const id = await host.importWorkflow(wf);
		run = await host.execute(id);
	});

	after(async () => {
		await host?.cleanup();
		await mock?.close();
	});

	it('runs the workflow to success', () => {
		assert.ok(run.ok, describeRun(run));
	});

	it('resolves a declared built-in type (hubspotAppToken) and its header reaches the API', () => {
		const hits = mock.hitsOn('/api/echo');
		assert.equal(hits.length, 3, 'one request per item');
		for (const h of hits) {
			assert.equal(h.authorization, `Bearer ${APP_TOKEN}`);
			assert.equal(h.query.page, '1');
		}
		const ok = outItems(run, 'AppToken', 0);
		assertPaired(ok, 3);
		assert.deepEqual(ok.map((i) => i.pairedItem?.item), [0, 1, 2]);
		assert.equal(ok[0].json.ok, true);
		assert.equal(outItems(run, 'AppToken', 1).length, 0);
	});

	it('OAuth2 (hubspotOAuth2Api): a 401 refreshes the token once against the mock and retries once, then succeeds', () => {
		assert.equal(mock.tokenCalls['hubspot-client']?.length, 1, `token endpoint calls: ${JSON.stringify(mock.tokenCalls)}`);
		assert.equal(mock.tokenCalls['hubspot-client'][0].grantType, 'refresh_token');
		const hits = mock.hitsOn('/api/contacts');
		const stale = hits.filter((h) => h.authorization === `Bearer ${STALE_TOKEN}`);
		const fresh = hits.filter((h) => h.authorization?.startsWith('Bearer fresh-access-token-'));
		assert.ok(stale.length >= 1 && stale.length <= 3, `stale-token requests: ${stale.length}`);
		assert.equal(fresh.length, 3, 'each item succeeds once with the refreshed token');
		for (const row of ['0', '1', '2']) {
			const perItem = hits.filter((h) => h.path === `/api/contacts/${row}`);
			assert.ok(perItem.length <= 2, `item ${row} sent ${perItem.length} times (at most one retry)`);
		}
		const ok = outItems(run, 'OAuthRefresh', 0);
		assertPaired(ok, 3);
		assert.deepEqual(ok.map((i) => i.json.id), ['0', '1', '2']);
		assert.equal(outItems(run, 'OAuthRefresh', 1).length, 0);
	});

	it('OAuth2 (generic oAuth2Api): a second 401 after the refresh is permanent and lands on Failed', () => {
		assert.equal(mock.tokenCalls['generic-client']?.length, 1, 'exactly one refresh');
		assert.equal(mock.hitsOn('/api/always-401').length, 2, 'one try, one retry after the refresh');
		assert.equal(outItems(run, 'OAuthTwice401', 0).length, 0);
		const failed = outItems(run, 'OAuthTwice401', 1);
		assertPaired(failed, 1);
		const r = failed[0].json.resilience;
		assert.equal(failed[0].json.row, 0, 'the input json is kept');
		assert.equal(r.outcome, 'failed-permanent');
		assert.equal(r.class, 'permanent');
		assert.equal(r.status, 401);
		assert.equal(r.attempts.length, 2);
		assert.match(r.reason, /again after a token/i);
	});

	it('a permanent failure goes to Failed with its history, redacted URL and pairedItem (continue-on-fail off)', () => {
		assert.equal(outItems(run, 'Missing', 0).length, 0);
		const failed = outItems(run, 'Missing', 1);
		assertPaired(failed, 3);
		assert.deepEqual(failed.map((i) => i.json.row), [0, 1, 2]);
		const r = failed[0].json.resilience;
		assert.equal(r.class, 'permanent');
		assert.equal(r.attempts.length, 1, 'a 404 is not retried');
		assert.equal(r.attempts[0].status, 404);
		assert.equal(r.request.method, 'GET');
		assert.ok(!r.request.url.includes(QUERY_SECRET) && r.request.url.includes('api_key='), r.request.url);
		assert.equal(mock.hitsOn('/api/missing').length, 3);
	});

	it('bad configuration with continue-on-fail on lands on Failed naming the parameter', () => {
		const failed = outItems(run, 'BadUrl', 1);
		assertPaired(failed, 1);
		assert.equal(failed[0].json.resilience.outcome, 'invalid-configuration');
		assert.equal(failed[0].json.resilience.parameter, 'url');
		assert.match(failed[0].json.resilience.reason, /item 0/);
	});

	it('network errors through a credential keep their code: a reset after sending a POST is ambiguous and not retried', () => {
		assert.equal(mock.hitsOn('/api/reset').length, 1, 'a POST without idempotency key is not re-sent after a reset');
		const failed = outItems(run, 'Reset', 1);
		assertPaired(failed, 1);
		const r = failed[0].json.resilience;
		assert.equal(r.outcome, 'ambiguous');
		assert.equal(r.ambiguous, true);
		assert.equal(r.attempts[0].errorCode, 'ECONNRESET');
	});

	it('a refused connection (provably not sent) is retried even for a POST, then ends exhausted', () => {
		const failed = outItems(run, 'Refused', 1);
		assertPaired(failed, 1);
		const r = failed[0].json.resilience;
		assert.equal(r.outcome, 'failed-exhausted', JSON.stringify(r));
		assert.equal(r.attempts.length, 2);
		assert.deepEqual(r.attempts.map((a: { errorCode: string }) => a.errorCode), ['ECONNREFUSED', 'ECONNREFUSED']);
	});

	it('the Timeout option bounds each attempt: a GET that times out is retried, then ends exhausted', () => {
		assert.equal(mock.hitsOn('/api/sleepy').length, 2);
		const failed = outItems(run, 'Timeout', 1);
		assertPaired(failed, 1);
		const r = failed[0].json.resilience;
		assert.equal(r.outcome, 'failed-exhausted', JSON.stringify(r));
		for (const a of r.attempts) {
			assert.ok(a.durationMs < 1200, `attempt took ${a.durationMs} ms`);
			assert.match(a.errorCode, /ETIMEDOUT|ECONNABORTED/);
		}
	});

	it('keeps the configured number of items in flight (2 of 6)', () => {
		assert.equal(mock.hitsOn('/api/slow').length, 6);
		assert.equal(mock.maxInFlight, 2);
		assertPaired(outItems(run, 'Slow', 0), 6);
	});

	it('auto idempotency key: the same key on every attempt of an item, a different key per item; no item is sent after it succeeded', () => {
		const hits = mock.hitsOn('/api/flaky-create');
		assert.equal(hits.length, 6, 'each of 3 items: one 503, one 201');
		const keys = new Map<string, number>();
		for (const h of hits) {
			assert.match(h.idempotencyKey ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
			keys.set(h.idempotencyKey!, (keys.get(h.idempotencyKey!) ?? 0) + 1);
		}
		assert.deepEqual([...keys.values()], [2, 2, 2]);
		const ok = outItems(run, 'IdemPost', 0);
		assertPaired(ok, 3);
		assert.deepEqual(ok.map((i) => i.json.created.email), ['lead0@example.com', 'lead1@example.com', 'lead2@example.com']);
	});

	it('Basic and Query Auth credentials reach the API (n8n applies neither by itself); a refusal echoing them leaks nothing', () => {
		const checks = mock.hitsOn('/api/auth-check');
		assert.equal(checks.length, 3, 'one request per node: a 401 with no refresh is not retried');
		assert.equal(outItems(run, 'Basic', 0)[0]?.json.via, 'basic');
		assert.equal(outItems(run, 'Query', 0)[0]?.json.via, 'query');
		assert.ok(checks.some((h) => h.query.api_token !== undefined && h.query.page === '2'), 'the credential joins the node\'s own query');
		const refused = outItems(run, 'BasicWrong', 1);
		assertPaired(refused, 1);
		assert.equal(refused[0].json.resilience.class, 'permanent', 'a 401 with a credential that cannot refresh is not retried');
		assert.match(refused[0].json.resilience.attempts[0].bodyExcerpt, /rejected \[redacted\]/);
	});

	it('a token refreshed during the run is masked too when the API echoes it back bare', () => {
		const failed = outItems(run, 'OAuthTwice401', 1);
		assert.match(JSON.stringify(failed[0].json.resilience.attempts), /the value \[redacted\] was revoked/);
	});

	it('no secret appears anywhere in the outputs', () => assertNoSecrets(run));

	it('bad configuration with continue-on-fail off stops the node with NodeOperationError naming parameter and item', async () => {
		const wf = buildWorkflow('credentials e2e: bad config', [
			itemsNode('Items', 2),
			{ name: 'BadJson', type, typeVersion: version, parameters: { method: 'POST', url: `${mock.base}/api/echo`, sendBody: true, bodyType: 'json', jsonBody: '{"email": ' } },
		]);
		const before = mock.hits.length;
		const r = await host.execute(await host.importWorkflow(wf));
		assert.equal(r.ok, false, 'the execution fails');
		const err = r.error as { message?: string; node?: { name?: string } } | undefined;
		assert.match(err?.message ?? '', /Parameter "jsonBody" \(item 0\)/, describeRun(r));
		assert.equal(mock.hits.length, before, 'nothing was sent');
	});
});
