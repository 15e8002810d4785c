import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAxiosSend, toAttemptResult, toNetworkFailure } from '../../src';

test('toNetworkFailure: not-sent codes', () => {
	for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'ERR_INVALID_URL']) {
		assert.deepEqual(toNetworkFailure(Object.assign(new Error(`x ${code}`), { code })).requestSent, false, code);
	}
	assert.equal(toNetworkFailure(new TypeError('Invalid URL')).code, 'ERR_INVALID_URL');
	assert.equal(toNetworkFailure(new TypeError('Invalid URL')).requestSent, false);
});

test('toNetworkFailure: reset after send and timeouts count as sent', () => {
	for (const code of ['ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE']) {
		assert.equal(toNetworkFailure(Object.assign(new Error('boom'), { code })).requestSent, true, code);
	}
	assert.equal(toNetworkFailure(new Error('socket hang up')).code, 'ECONNRESET');
});

test('toNetworkFailure: axios ERR_NETWORK and fetch TypeError use the cause code', () => {
	const axiosLike = Object.assign(new Error('Network Error'), { code: 'ERR_NETWORK', cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) });
	assert.equal(toNetworkFailure(axiosLike).code, 'ECONNREFUSED');
	const fetchLike = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
	assert.deepEqual(toNetworkFailure(fetchLike), { code: 'UND_ERR_SOCKET', message: 'fetch failed', requestSent: true });
	assert.equal(toNetworkFailure('weird').requestSent, 'unknown');
});

test('toAttemptResult turns an error carrying a response into that response', () => {
	const r = toAttemptResult({ message: 'Request failed with status code 429', response: { status: 429, headers: { 'Retry-After': '3' }, data: { error: 'slow' } } });
	assert.deepEqual(r, { kind: 'response', response: { status: 429, headers: { 'retry-after': '3' }, body: '{"error":"slow"}' } });
});

function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
	const server = createServer(handler);
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

test('createAxiosSend returns statuses as responses, sends the idempotency key, never throws', async () => {
	const seen: Array<string | undefined> = [];
	const { server, url } = await listen((req, res) => {
		seen.push(req.headers['idempotency-key'] as string | undefined);
		if (req.url === '/reset') return req.socket.destroy();
		res.writeHead(req.url === '/boom' ? 503 : 200, { 'Content-Type': 'text/html', 'Retry-After': '2' });
		res.end(req.url === '/boom' ? '<html>down</html>' : 'ok');
	});
	try {
		const boom = await createAxiosSend({ method: 'POST', url: `${url}/boom`, body: { a: 1 }, idempotencyKey: 'k-42' })(1);
		assert.deepEqual(boom.kind === 'response' && [boom.response.status, boom.response.headers['retry-after'], boom.response.body], [503, '2', '<html>down</html>']);
		assert.deepEqual(seen, ['k-42']);
		const reset = await createAxiosSend({ method: 'GET', url: `${url}/reset` })(1);
		assert.equal(reset.kind, 'network');
		assert.equal(reset.kind === 'network' && reset.error.requestSent, true);
		const bad = await createAxiosSend({ method: 'GET', url: 'htp:/bad' })(1);
		assert.equal(bad.kind, 'network');
		assert.equal(bad.kind === 'network' && bad.error.requestSent, false);
	} finally {
		server.close();
	}
	const refused = await createAxiosSend({ method: 'GET', url: 'http://127.0.0.1:1/' })(1);
	assert.deepEqual(refused.kind === 'network' && [refused.error.code, refused.error.requestSent], ['ECONNREFUSED', false]);
});
