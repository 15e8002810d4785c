// The dead-letter e2e's world: a CRM mock that fails some records transiently and some permanently, echoes every secret
// it was sent back in its error bodies, and keeps a ledger of what it really created; plus the workflows' nodes.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NodeSpec } from '../harness/host';

export const SECRETS = {
	bearer: 'bearer-Secret-88412',
	apiKey: 'hdr-Secret-55213',
	queryKey: 'qry-Secret-77304',
	cookie: 'ck-Secret-99157',
};

/** ok-* always succeed, flaky-* answer 503 while the fault lasts, bad-* are refused with 422 forever. */
export const RECORDS = ['ok-1', 'ok-2', 'flaky-1', 'flaky-2', 'flaky-3', 'bad-1', 'bad-2'];
export const TRANSIENT = RECORDS.filter((r) => r.startsWith('flaky'));
export const PERMANENT = RECORDS.filter((r) => r.startsWith('bad'));

export interface Crm {
	base: string;
	faulty: boolean;
	requests: number;
	/** Contacts really created, per record id: exactly-once means every value is 1. */
	created: Map<string, number>;
	/** Requests per record id. */
	hits: Map<string, number>;
	/** Idempotency-Key headers seen per record id: a replay that reuses the first key shows one. */
	keys: Map<string, Set<string>>;
	close(): Promise<void>;
}

const readBody = (req: IncomingMessage) =>
	new Promise<string>((r) => {
		let b = '';
		req.on('data', (c) => (b += c));
		req.on('end', () => r(b));
	});

export async function startCrm(): Promise<Crm> {
	const crm: Crm = { base: '', faulty: true, requests: 0, created: new Map(), hits: new Map(), keys: new Map(), close: async () => undefined };
	const server: Server = createServer((req, res) => {
		void readBody(req).then((text) => {
			crm.requests++;
			const url = new URL(req.url ?? '/', 'http://x');
			const body = JSON.parse(text || '{}') as { id?: string; email?: string };
			const id = String(body.id);
			crm.hits.set(id, (crm.hits.get(id) ?? 0) + 1);
			const key = req.headers['idempotency-key'];
			if (typeof key === 'string') crm.keys.set(id, (crm.keys.get(id) ?? new Set()).add(key));
			res.setHeader('content-type', 'application/json');
			// What careless APIs do: echo the request's credentials back, by name and as bare words.
			const echo = {
				headers: req.headers,
				query: Object.fromEntries(url.searchParams),
				dump: `Authorization: ${req.headers.authorization}\nX-API-Key: ${req.headers['x-api-key']}\nCookie: ${req.headers.cookie}`,
				words: `key ${req.headers['x-api-key']} and ${url.searchParams.get('api_key')} refused for ${String(req.headers.authorization).split(' ')[1]}`,
			};
			if (id.startsWith('bad')) {
				res.statusCode = 422;
				return res.end(JSON.stringify({ message: `invalid email "${body.email}"`, echo }));
			}
			if (id.startsWith('flaky') && crm.faulty) {
				res.statusCode = 503;
				return res.end(JSON.stringify({ message: 'temporarily unavailable', echo }));
			}
			crm.created.set(id, (crm.created.get(id) ?? 0) + 1);
			res.statusCode = 201;
			res.end(JSON.stringify({ id, contactId: `c-${id}`, n: crm.created.get(id) }));
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	crm.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	crm.close = () => new Promise((r) => server.close(() => r()));
	return crm;
}

export const recordsNode: NodeSpec = {
	name: 'Records',
	type: 'n8n-nodes-base.code',
	typeVersion: 2,
	parameters: { jsCode: `return ${JSON.stringify(RECORDS)}.map((id) => ({ json: { id, email: id + '@example.com' } }));` },
};

/** Resilient HTTP creating a contact with a bearer credential, an API key header, an API key in the query and a cookie. */
export function createContact(type: string, base: string, extra: Record<string, unknown> = {}, credentials: Record<string, { id: string; name: string }> = {}): NodeSpec {
	return {
		name: 'Create Contact',
		type,
		parameters: {
			preset: 'generic',
			method: 'POST',
			url: `${base}/contacts`,
			authentication: 'httpBearerAuth',
			sendQuery: true,
			queryParameters: { parameters: [{ name: 'api_key', value: SECRETS.queryKey }] },
			sendHeaders: true,
			headerParameters: { parameters: [{ name: 'X-API-Key', value: SECRETS.apiKey }, { name: 'Cookie', value: `session=${SECRETS.cookie}` }] },
			sendBody: true,
			bodyType: 'json',
			jsonBody: '={{ JSON.stringify({ id: $json.id, email: $json.email }) }}',
			options: { maxAttempts: 2, baseDelayMs: 50, maxDelayMs: 100 },
			...extra,
		},
		credentials,
	};
}

export function assertNoSecrets(text: string, where: string) {
	for (const [name, s] of Object.entries(SECRETS)) assert.ok(!text.includes(s), `the ${name} secret appears in ${where}`);
}

/** Counts per key, for readable assertions: { resolved: 3, new: 2 }. */
export const tally = <T>(xs: T[], key: (x: T) => string) => xs.reduce<Record<string, number>>((m, x) => ({ ...m, [key(x)]: (m[key(x)] ?? 0) + 1 }), {});
