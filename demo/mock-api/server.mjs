#!/usr/bin/env node
// A mock GTM API (HubSpot-like CRM, Apollo-like enrichment, Outreach-like sequencer) with scripted faults and a ledger.
// CLI: node demo/mock-api/server.mjs [--port 4010] [--config demo/mock-api/story.json]
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FaultPlan } from './faults.mjs';
import { Ledger } from './ledger.mjs';
import * as hubspot from './hubspot.mjs';
import * as apollo from './apollo.mjs';
import * as outreach from './outreach.mjs';

const VENDORS = { hubspot, apollo, outreach };
const ROUTES = [...hubspot.routes, ...apollo.routes, ...outreach.routes];

function readBody(req) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		let size = 0;
		req.on('data', (c) => {
			size += c.length;
			if (size > 1_000_000) reject(new Error('body too large'));
			else chunks.push(c);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

function send(res, r) {
	const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
	res.writeHead(r.status, { 'content-type': 'application/json; charset=utf-8', ...r.headers, 'content-length': Buffer.byteLength(text) });
	res.end(text);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts the mock on loopback. config: { seed, excludedDomains, routes: { enrich|crm|enroll: route faults } }.
 * @returns {Promise<{ url: string, port: number, ledger: Ledger, setConfig(c: object): void, reset(c?: object): void, snapshot(): object, close(): Promise<void> }>}
 */
export async function startMockApi({ port = 0, host = '127.0.0.1', config = {}, log = () => {} } = {}) {
	const ledger = new Ledger();
	let plan = new FaultPlan(config);
	let seq = 0;
	const api = {
		ledger,
		get config() {
			return plan.config;
		},
		setConfig(c) {
			plan = new FaultPlan(c);
		},
		reset(c) {
			ledger.reset();
			plan = new FaultPlan(c ?? plan.config);
			seq = 0;
		},
		snapshot() {
			return ledger.toJSON({ plan: plan.summary(), config: plan.config });
		},
	};

	async function handle(req, res) {
		const url = new URL(req.url, 'http://mock');
		const path = url.pathname;
		const raw = await readBody(req);
		if (path === '/__ledger' && req.method === 'GET') return send(res, { status: 200, body: api.snapshot() });
		if (path === '/__health') return send(res, { status: 200, body: { ok: true } });
		if (path === '/__reset' && req.method === 'POST') {
			api.reset(raw.trim() ? JSON.parse(raw) : undefined);
			return send(res, { status: 200, body: { ok: true, config: plan.config } });
		}
		if (path === '/__faults') {
			if (req.method === 'PUT' || req.method === 'POST') api.setConfig(JSON.parse(raw));
			return send(res, { status: 200, body: plan.config });
		}
		const route = ROUTES.find((r) => r.path === path && r.method === req.method);
		if (!route) return send(res, { status: 404, body: { status: 'error', message: `No route for ${req.method} ${path}` } });

		// The mock takes any credential, but counts the requests that carried one (a check that secrets were really sent).
		const signed = Boolean(req.headers.authorization || req.headers['x-api-key']);
		let body;
		try {
			body = raw ? JSON.parse(raw) : undefined;
		} catch {
			ledger.request(route.route, 400, false, signed);
			return send(res, { status: 400, body: { status: 'error', message: 'Invalid input JSON', category: 'VALIDATION_ERROR' } });
		}
		const vendor = VENDORS[route.vendor];
		const key = route.key(body, ledger, url.searchParams);
		const d = plan.decide(route.route, key);
		const ctx = { seq: ++seq, seed: plan.config.seed ?? 1, ledger, config: plan.config, query: url.searchParams, routeCount: plan.state(route.route).count, remainingRatio: d.remainingRatio, retryAfterS: d.retryAfterS, window: d.window };
		const repeat = d.attempt > 1;
		if (d.delayMs > (plan.config.routes?.[route.route]?.latencyMs ?? 0)) ledger.fault('slow');
		if (d.delayMs > 0) await sleep(d.delayMs);

		if (d.fault === 'reset-before') {
			ledger.fault('reset-before');
			ledger.request(route.route, 'reset-before', repeat, signed);
			log(`${route.route} ${key}: connection reset before the side effect`);
			return req.socket.destroy();
		}
		let r;
		if (d.fault === 'outage') (r = vendor.outage(ctx)), ledger.fault('outage');
		else if (d.fault === 'rate-limit') (r = vendor.rateLimited(ctx)), ledger.fault('rate-limit');
		else r = route.handle(ctx, body);

		if (d.after === 'reset-after' && r.status < 300) {
			ledger.fault('reset-after');
			ledger.request(route.route, 'reset-after', repeat, signed);
			log(`${route.route} ${key}: connection reset after the side effect`);
			return req.socket.destroy();
		}
		ledger.request(route.route, r.status, repeat, signed);
		send(res, r);
	}

	const server = createServer((req, res) => {
		handle(req, res).catch((err) => {
			if (!res.headersSent) send(res, { status: 500, body: { status: 'error', message: `mock error: ${err.message}` } });
		});
	});
	// Long keep-alive so idle sockets are not closed under a client mid-run (that would be an unscripted reset).
	server.keepAliveTimeout = 120_000;
	server.headersTimeout = 125_000;
	await new Promise((resolve) => server.listen(port, host, resolve));
	const actual = server.address().port;
	return {
		...api,
		get config() {
			return plan.config;
		},
		url: `http://${host}:${actual}`,
		port: actual,
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections?.();
				server.close(() => resolve());
			}),
	};
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const arg = (name, dflt) => {
		const i = process.argv.indexOf(`--${name}`);
		return i > 0 ? process.argv[i + 1] : dflt;
	};
	const cfgPath = arg('config');
	const config = cfgPath ? JSON.parse(readFileSync(cfgPath, 'utf8')) : {};
	// No top-level await: tsx loads this file as CommonJS when a test imports it.
	startMockApi({ port: Number(arg('port', 4010)), config, log: process.env.MOCK_VERBOSE ? console.log : () => {} }).then((mock) =>
		console.log(`mock GTM API listening on ${mock.url} (ledger: GET ${mock.url}/__ledger, reset: POST ${mock.url}/__reset)`),
	);
}
