// A loopback OAuth2 provider plus API: a token endpoint that hands out fresh tokens, and routes that accept only them.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Hit {
	method: string;
	path: string;
	authorization?: string;
	idempotencyKey?: string;
	query: Record<string, string>;
}

export interface OAuthMock {
	base: string;
	/** Token-endpoint calls per client_id. */
	tokenCalls: Record<string, { grantType: string }[]>;
	/** Every API request, in order. */
	hits: Hit[];
	/** Most requests in progress at once on /api/slow. */
	maxInFlight: number;
	hitsOn(path: string): Hit[];
	reset(): void;
	close(): Promise<void>;
}

export const STALE_TOKEN = 'stale-access-token-0000';
export const BASIC_PASSWORD = 'basic-Secret-pw-2718';
export const QUERY_AUTH_SECRET = 'query-auth-Secret-3141';

async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const c of req) chunks.push(c as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

function clientIdOf(req: IncomingMessage, form: URLSearchParams): string {
	const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '');
	if (basic) return decodeURIComponent(Buffer.from(basic[1], 'base64').toString('utf8').split(':')[0]);
	return form.get('client_id') ?? 'unknown';
}

/**
 * Routes: POST /oauth/token (refresh_token or client_credentials grant) → a new token each call;
 * GET /api/contacts/:id → 401 unless the bearer token was issued by /oauth/token; GET /api/always-401 → 401;
 * GET /api/auth-check → 200 with Basic or Query Auth, else 401 echoing them; GET /api/echo → 200 echoing nothing secret; GET /api/missing → 404 with a JSON error body; /api/reset drops the
 * connection after reading the request; /api/slow answers after 300 ms, /api/sleepy after 1.5 s; POST /api/flaky-create answers 503 then 201.
 */
export async function startOAuthMock(): Promise<OAuthMock> {
	const issued = new Set<string>();
	const tokenCalls: OAuthMock['tokenCalls'] = {};
	const hits: Hit[] = [];
	let counter = 0;
	let inFlight = 0;
	let maxInFlight = 0;
	const seenPosts = new Map<string, number>();

	const server: Server = createServer(async (req, res) => {
		const url = new URL(req.url ?? '/', 'http://mock');
		const body = await readBody(req);
		const json = (status: number, value: unknown, headers: Record<string, string> = {}) => {
			res.writeHead(status, { 'content-type': 'application/json', ...headers });
			res.end(JSON.stringify(value));
		};
		if (req.method === 'POST' && url.pathname === '/oauth/token') {
			const form = new URLSearchParams(body);
			const client = clientIdOf(req, form);
			(tokenCalls[client] ??= []).push({ grantType: form.get('grant_type') ?? '' });
			const token = `fresh-access-token-${++counter}`;
			issued.add(token);
			return json(200, { access_token: token, token_type: 'Bearer', expires_in: 3600, refresh_token: `refresh-token-${counter}` });
		}
		const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
		hits.push({
			method: req.method ?? '',
			path: url.pathname,
			authorization: req.headers.authorization,
			idempotencyKey: req.headers['idempotency-key'] as string | undefined,
			query: Object.fromEntries(url.searchParams),
		});
		if (url.pathname.startsWith('/api/contacts/')) {
			if (!bearer || !issued.has(bearer)) {
				return json(401, { status: 'error', category: 'EXPIRED_AUTHENTICATION', message: 'The OAuth token used to make this call expired' });
			}
			return json(200, { id: url.pathname.split('/').pop(), properties: { email: 'lead@example.com' } });
		}
		if (url.pathname === '/api/slow') {
			inFlight++;
			maxInFlight = Math.max(maxInFlight, inFlight);
			await new Promise((r) => setTimeout(r, 300));
			inFlight--;
			return json(200, { slow: true });
		}
		if (url.pathname === '/api/sleepy') {
			await new Promise((r) => setTimeout(r, 1500));
			return json(200, { late: true });
		}
		if (req.method === 'POST' && url.pathname === '/api/flaky-create') {
			// First try of each body answers 503 (not processed), the second creates.
			const n = (seenPosts.get(body) ?? 0) + 1;
			seenPosts.set(body, n);
			if (n === 1) return json(503, { message: 'temporarily unavailable' }, { 'retry-after': '0' });
			return json(201, { created: JSON.parse(body) });
		}
		if (url.pathname === '/api/reset') {
			req.socket.destroy();
			return;
		}
		// Echoes the token it refused, bare, as some APIs do: the refreshed token must be masked like the stale one.
		if (url.pathname === '/api/always-401') return json(401, { message: `Authentication failed: the value ${bearer ?? ''} was revoked` });
		if (url.pathname === '/api/auth-check') {
			// Basic (alice / BASIC_PASSWORD) or Query Auth (api_token=QUERY_AUTH_SECRET); a refusal echoes what came, bare.
			const basicOk = req.headers.authorization === `Basic ${Buffer.from(`alice:${BASIC_PASSWORD}`).toString('base64')}`;
			const queryOk = url.searchParams.get('api_token') === QUERY_AUTH_SECRET;
			if (basicOk || queryOk) return json(200, { ok: true, via: basicOk ? 'basic' : 'query' });
			return json(401, { message: `rejected ${(req.headers.authorization ?? '').replace(/^Basic /, '')} ${url.searchParams.get('api_token') ?? ''}` });
		}
		if (url.pathname === '/api/echo') return json(200, { ok: true, authenticated: Boolean(req.headers.authorization) });
		if (url.pathname === '/api/missing') return json(404, { status: 'error', message: 'resource not found', category: 'OBJECT_NOT_FOUND' });
		return json(404, { message: 'no route' });
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		base,
		tokenCalls,
		hits,
		get maxInFlight() {
			return maxInFlight;
		},
		hitsOn: (path) => hits.filter((h) => h.path === path || h.path.startsWith(`${path}/`)),
		reset() {
			hits.length = 0;
			maxInFlight = 0;
			for (const k of Object.keys(tokenCalls)) delete tokenCalls[k];
		},
		close: () => new Promise<void>((r) => server.close(() => r())),
	};
}
