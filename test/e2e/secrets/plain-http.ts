// Fresh-user test r02 in the e2e suite: n8n's own HTTP Request node with its error output wired into the Dead Letter
// Sink's Write, against a server that echoes the request (credential header, cookie, tokens, body, URL) back.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Redis from 'ioredis';
import type { NodeSpec } from '../harness/host';

export const PLAIN = {
	cred: 'plainCred-Secret-5501',
	cookie: 'plainCk-Secret-5502',
	custom: 'plainTok-Secret-5503',
	// a header whose name says nothing: masked because the value looks like a token
	client: 'plainClient-Secret-5504',
	bodyPassword: 'plainPw-Secret-5505',
	pathToken: 'PlainBot-Secret-5506',
	hookSecret: 'plainHook-Secret-5507',
	query: 'plainQry-Secret-5508',
	setCookie: 'plainSetCk-Secret-5509',
};

/** Answers /…/plain-400 with the request as JSON and /…/plain-401 with a header dump; true when it answered. */
export function answerPlain(req: IncomingMessage, body: string, res: ServerResponse): boolean {
	const url = new URL(req.url ?? '/', 'http://x');
	const mode = url.pathname.split('/').pop();
	if (mode !== 'plain-400' && mode !== 'plain-401') return false;
	const dump = Object.entries(req.headers).map(([k, v]) => `${k}: ${String(v)}`).join('\n');
	if (mode === 'plain-401') {
		res.writeHead(401, { 'content-type': 'text/plain' });
		res.end(`Unauthorized: ${dump}`);
		return true;
	}
	res.writeHead(400, { 'content-type': 'application/json', 'set-cookie': `sid=${PLAIN.setCookie}; HttpOnly` });
	res.end(JSON.stringify({ url: req.url, headers: req.headers, body, dump, note: `invalid key ${PLAIN.cred}` }));
	return true;
}

/** The plain HTTP Request node (v4.2, error output on) and one Sink Write per backend on its error output. */
export function plainNodes(base: string, sinkType: string, creds: { header: { id: string; name: string }; pg: { id: string; name: string }; redis: { id: string; name: string } }): NodeSpec[] {
	const path = `/bot${PLAIN.pathToken}/services/T0/B0/${PLAIN.hookSecret}`;
	return [
		{
			name: 'Plain HTTP',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			credentials: { httpHeaderAuth: creds.header },
			extra: { onError: 'continueErrorOutput' },
			parameters: {
				method: 'POST',
				url: `=${base}${path}/plain-{{ $json.amount === 2 ? '401' : '400' }}?access_token=${PLAIN.query}`,
				authentication: 'genericCredentialType',
				genericAuthType: 'httpHeaderAuth',
				sendHeaders: true,
				headerParameters: { parameters: [{ name: 'Cookie', value: `session=${PLAIN.cookie}` }, { name: 'X-Custom-Token', value: PLAIN.custom }, { name: 'X-Client', value: PLAIN.client }] },
				sendBody: true,
				specifyBody: 'json',
				jsonBody: `={{ JSON.stringify({ password: '${PLAIN.bodyPassword}', amount: $json.amount }) }}`,
				options: {},
			},
		},
		{ name: 'Sink PG', type: sinkType, parameters: { operation: 'write', backend: 'postgres', queue: 'plain' }, credentials: { resiliencePostgresApi: creds.pg } },
		{ name: 'Sink Redis', type: sinkType, parameters: { operation: 'write', backend: 'redis', queue: 'plain' }, credentials: { resilienceRedisApi: creds.redis } },
		{ name: 'Sink Static', type: sinkType, parameters: { operation: 'write', backend: 'staticData', queue: 'plain' } },
	];
}

export const plainLinks: [string, string, number?][] = [
	['Orders', 'Plain HTTP'],
	['Plain HTTP', 'Sink PG', 1],
	['Plain HTTP', 'Sink Redis', 1],
	['Plain HTTP', 'Sink Static', 1],
];

/** Every key and value under a Redis prefix, whatever its type: what the seeded-secret grep reads. */
export async function redisDump(redis: Redis, prefix: string): Promise<string> {
	const keys = await redis.keys(`${prefix}:*`);
	const parts: unknown[] = [];
	for (const k of keys) {
		const t = await redis.type(k);
		if (t === 'hash') parts.push(await redis.hgetall(k));
		else if (t === 'list') parts.push(await redis.lrange(k, 0, -1));
		else if (t === 'zset') parts.push(await redis.zrange(k, 0, -1));
		else if (t === 'set') parts.push(await redis.smembers(k));
		else parts.push(await redis.get(k));
	}
	return keys.join('\n') + JSON.stringify(parts);
}

/** Which of the plain secrets a text contains. */
export const plainLeaks = (text: string): string[] => Object.entries(PLAIN).filter(([, s]) => text.includes(s)).map(([k]) => k);
