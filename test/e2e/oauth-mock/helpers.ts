// Credentials, input items and output assertions shared by the credential e2e tests.
import assert from 'node:assert/strict';
import type { ExecResult, NodeSpec } from '../harness/host';
import { BASIC_PASSWORD, QUERY_AUTH_SECRET, STALE_TOKEN, type OAuthMock } from './server';

export const APP_TOKEN = 'pat-na1-secret-app-token-4242';
export const CLIENT_SECRET = 'client-secret-do-not-leak';
export const REFRESH_TOKEN = 'refresh-secret-7777';
export const QUERY_SECRET = 'query-secret-5150';

export type Item = { json: Record<string, any>; pairedItem?: { item: number } };

export function oauthData(mock: OAuthMock, clientId: string, extra: Record<string, unknown> = {}) {
	return {
		grantType: 'authorizationCode',
		authUrl: `${mock.base}/oauth/authorize`,
		accessTokenUrl: `${mock.base}/oauth/token`,
		clientId,
		clientSecret: CLIENT_SECRET,
		scope: '',
		authQueryParameters: '',
		authentication: 'body',
		oauthTokenData: { access_token: STALE_TOKEN, refresh_token: REFRESH_TOKEN, token_type: 'Bearer' },
		...extra,
	};
}

/** A Code node that emits `count` items {row: i}. */
export function itemsNode(name: string, count: number): NodeSpec {
	return {
		name,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		parameters: { jsCode: `return Array.from({ length: ${count} }, (_, i) => ({ json: { row: i, email: 'lead' + i + '@example.com' } }));` },
	};
}

/** Whole items (json + pairedItem) a node emitted on one output; the harness's items() gives json only. */
export function outItems(r: ExecResult, node: string, out: number): Item[] {
	const runs = (r.runData as Record<string, { data?: { main?: Item[][] } }[]>)[node] ?? [];
	return runs.flatMap((x) => x.data?.main?.[out] ?? []);
}

export function assertNoSecrets(r: ExecResult) {
	const text = JSON.stringify(r.runData);
	const basic = (password: string) => Buffer.from(`alice:${password}`).toString('base64');
	for (const s of [APP_TOKEN, CLIENT_SECRET, REFRESH_TOKEN, QUERY_SECRET, STALE_TOKEN, 'fresh-access-token', BASIC_PASSWORD, QUERY_AUTH_SECRET, basic(BASIC_PASSWORD), basic('wrong-Secret-pw')]) {
		assert.ok(!text.includes(s), `secret ${s} appears in the run data`);
	}
}

export function assertPaired(items: Item[], count?: number) {
	if (count !== undefined) assert.equal(items.length, count);
	for (const it of items) {
		assert.equal(typeof it.pairedItem?.item, 'number', `item without pairedItem: ${JSON.stringify(it).slice(0, 200)}`);
		assert.ok(!('error' in it.json), 'an output item carries a top-level json.error');
	}
}
