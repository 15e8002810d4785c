// HubSpot's ten-secondly rolling window as a loopback server: a request is refused (429 with HubSpot's body and
// headers) when LIMIT were accepted in the WINDOW_MS before it. Used by the multi-process and the real-n8n proofs.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

export const WINDOW_MS = 10_000;
export const LIMIT = 100;

export function rollingHubSpot() {
	const accepted: number[] = [];
	const log = { total: 0, ok: 0, limited: 0, first: 0, last: 0, maxInWindow: 0 };
	const server = createServer((req, res) => {
		const now = Date.now();
		log.total++;
		log.first ||= now;
		log.last = now;
		while (accepted.length && accepted[0] <= now - WINDOW_MS) accepted.shift();
		const headers = { 'content-type': 'application/json', 'x-hubspot-ratelimit-max': String(LIMIT), 'x-hubspot-ratelimit-interval-milliseconds': String(WINDOW_MS) };
		if (accepted.length >= LIMIT) {
			log.limited++;
			res.writeHead(429, { ...headers, 'x-hubspot-ratelimit-remaining': '0' });
			res.end(JSON.stringify({ status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', correlationId: randomUUID(), policyName: 'TEN_SECONDLY_ROLLING', groupName: 'publicapi:private_app-api-calls-ten-secondly:1:2' }));
			return;
		}
		accepted.push(now);
		log.ok++;
		log.maxInWindow = Math.max(log.maxInWindow, accepted.length);
		res.writeHead(200, { ...headers, 'x-hubspot-ratelimit-remaining': String(LIMIT - accepted.length) });
		res.end(JSON.stringify({ id: req.url?.split('/').pop(), properties: {} }));
	});
	return { server, log };
}
