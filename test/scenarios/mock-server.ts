// A loopback HTTP server that plays a flow's scripted answers and records every request and side effect.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Flow, MockResponse, ResponseRule } from './flow-types';
import { matchesRule, splitUrl, type RecordedRequest } from './request-match';
import { needsWholeSecond, renderTemplates } from './templates';

/** Headers the player adds so the mock can attribute requests to a client instance and a run. */
export const CLIENT_HEADER = 'x-scenario-client';
export const RUN_HEADER = 'x-scenario-run';

const UNSCRIPTED: MockResponse = { status: 500, body: { error: 'unscripted request' } };

/** An ordered answer list with its cursor; a `repeat` entry answers everything after it. */
class AnswerList {
	private next = 0;
	constructor(private readonly entries: MockResponse[]) {}
	take(): MockResponse {
		const e = this.entries[this.next];
		if (!e) return UNSCRIPTED;
		if (!e.repeat) this.next++;
		return e;
	}
}

export class ScriptedServer {
	readonly requests: RecordedRequest[] = [];
	readonly effects: Record<string, number> = {};
	/** Requests whose effect was counted (used by noDuplicateEffectsBy). */
	readonly effectRequests: RecordedRequest[] = [];
	/** Scenario start S on the player's clock; set by the player before the first step. */
	scenarioStart = Date.now();
	private readonly server: Server;
	private readonly fallback: AnswerList;
	private readonly rules: Array<{ rule: ResponseRule; list: AnswerList }>;
	private readonly seenKeys = new Set<string>();
	private readonly honoursKey: boolean;

	constructor(
		flow: Pick<Flow, 'responses' | 'responseRules' | 'server'>,
		private readonly now: () => number = Date.now,
	) {
		this.fallback = new AnswerList(flow.responses ?? []);
		this.rules = (flow.responseRules ?? []).map((rule) => ({ rule, list: new AnswerList(rule.responses) }));
		this.honoursKey = flow.server?.honoursIdempotencyKey === true;
		this.server = createServer((req, res) => this.handle(req, res));
		// Clients may sleep longer than node's 5 s default before reusing a kept-alive socket.
		this.server.keepAliveTimeout = 600_000;
	}

	async start(): Promise<string> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	async close(): Promise<void> {
		const now = this.now();
		for (const r of this.requests)
			if (r.endedAt === undefined) {
				r.endedAt = now;
				r.ending = 'client-closed';
			}
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	/** The time the mock finished its last response (or dropped it). */
	lastResponseEnd(): number | undefined {
		let last: number | undefined;
		for (const r of this.requests) if (r.endedAt !== undefined && (last === undefined || r.endedAt > last)) last = r.endedAt;
		return last;
	}

	private handle(req: IncomingMessage, res: ServerResponse): void {
		const rawUrl = req.url ?? '/';
		const { path, query } = splitUrl(rawUrl);
		const headers: Record<string, string> = {};
		for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : String(v ?? '');
		const rec: RecordedRequest = {
			seq: this.requests.length + 1,
			arrivedAt: this.now(),
			method: (req.method ?? 'GET').toUpperCase(),
			rawUrl,
			path,
			query,
			headers,
			body: '',
			client: headers[CLIENT_HEADER] ?? '1',
			run: headers[RUN_HEADER] ?? '1',
		};
		this.requests.push(rec);
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			rec.body = Buffer.concat(chunks).toString('utf8');
			const entry = this.choose(rec);
			this.countEffect(entry, rec);
			void this.answer(entry, rec, req, res);
		});
	}

	private choose(rec: RecordedRequest): MockResponse {
		for (const { rule, list } of this.rules) if (matchesRule(rule.match, rec, this.scenarioStart)) return list.take();
		return this.fallback.take();
	}

	private countEffect(entry: MockResponse, rec: RecordedRequest): void {
		if (!entry.effect) return;
		rec.effect = entry.effect;
		const key = rec.headers['idempotency-key'];
		if (this.honoursKey && key) {
			const k = `${entry.effect}\u0000${key}`;
			if (this.seenKeys.has(k)) return;
			this.seenKeys.add(k);
		}
		rec.effectCounted = true;
		this.effects[entry.effect] = (this.effects[entry.effect] ?? 0) + 1;
		this.effectRequests.push(rec);
	}

	private async answer(entry: MockResponse, rec: RecordedRequest, req: IncomingMessage, res: ServerResponse): Promise<void> {
		let clientGone = false;
		res.on('close', () => {
			if (rec.endedAt === undefined) {
				clientGone = true;
				rec.endedAt = this.now();
				rec.ending = 'client-closed';
			}
		});
		if (entry.delayMs) await this.wait(entry.delayMs, () => clientGone);
		if (clientGone) return;
		if (entry.dropConnection) {
			rec.endedAt = this.now();
			rec.ending = 'dropped';
			req.socket.resetAndDestroy();
			return;
		}
		const headerValues = Object.values(entry.headers ?? {});
		if (needsWholeSecond(headerValues)) {
			const ms = this.now() % 1000;
			if (ms !== 0) await this.wait(1000 - ms, () => clientGone);
			if (clientGone) return;
		}
		const anchor = this.now();
		const out: Record<string, string> = {};
		for (const [k, v] of Object.entries(entry.headers ?? {})) out[k] = renderTemplates(v, anchor);
		let body: string;
		if (typeof entry.body === 'string') body = entry.body;
		else if (entry.body === undefined || entry.body === null) body = '';
		else {
			body = JSON.stringify(entry.body);
			if (!Object.keys(out).some((k) => k.toLowerCase() === 'content-type')) out['Content-Type'] = 'application/json';
		}
		if (!Object.keys(out).some((k) => k.toLowerCase() === 'content-length')) out['Content-Length'] = String(Buffer.byteLength(body));
		rec.sentAt = anchor;
		rec.status = entry.status ?? 500;
		res.on('finish', () => {
			rec.endedAt = this.now();
			rec.ending = 'response';
		});
		res.writeHead(rec.status, out);
		res.end(body);
	}

	/** Sleeps, waking early (in 50 ms steps at most) when the client has gone away. */
	private async wait(ms: number, gone: () => boolean): Promise<void> {
		const until = this.now() + ms;
		while (!gone()) {
			const left = until - this.now();
			if (left <= 0) return;
			await new Promise((r) => setTimeout(r, Math.min(left, gone() ? 0 : 50)));
		}
	}
}
