// Drives a flow's steps through the engine against the scripted server, on the real clock with real sleeps.
import { randomUUID } from 'node:crypto';
import * as engine from '../../src/index';
import type { BodyRule, ExecutionResult, RetryPolicy, Sleep } from '../../src/types';
import type { Flow, Step } from './flow-types';
import { CLIENT_HEADER, RUN_HEADER, ScriptedServer } from './mock-server';

/** One step of one client in one run, and where it ended. */
export interface ItemRun {
	client: number;
	run: string;
	stepIndex: number;
	startedAt: number;
	settledAt: number;
	result?: ExecutionResult;
	/** executeWithRetry threw instead of returning an outcome. */
	thrown?: string;
	/** The README's outcome name (§3). */
	outcome: string;
	idempotencyKey?: string;
	/** Warnings, attempt reasons, the final verdict's reason and log lines, for messagesContain. */
	messages: string[];
	warned: boolean;
}

export interface FlowRun {
	flow: Flow;
	server: ScriptedServer;
	/** Scenario start S (epoch ms). */
	start: number;
	items: ItemRun[];
}

const realSleep: Sleep = (ms, signal) =>
	new Promise<void>((resolve, reject) => {
		if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
		const t = setTimeout(resolve, Math.max(0, ms));
		signal?.addEventListener('abort', () => {
			clearTimeout(t);
			reject(signal.reason ?? new Error('aborted'));
		});
	});

// The flows' gap windows equal the jitter range exactly ([d, d+1000]); drawing from the lower 80 % leaves
// 200 ms for the transport and a busy event loop (2 shared cores) between the mock's send and the next request.
const playerRandom = () => Math.random() * 0.8;

/** Engine outcomes that the README names differently. */
const OUTCOME_NAMES: Record<string, string> = {};

export function readmeOutcome(r: ExecutionResult): string {
	return OUTCOME_NAMES[r.outcome] ?? r.outcome;
}

/** The user rules of a flow's policy.bodyRules, in the engine's rule shape. */
function userRules(flow: Flow): BodyRule[] {
	const rules = (flow.policy?.bodyRules ?? []) as Array<Record<string, unknown>>;
	return rules.map((r, i) => ({ ...(r as unknown as BodyRule), id: (r.id as string) ?? `scenario.${flow.id}.${i + 1}` }));
}

function policyFor(flow: Flow): { preset: engine.Preset; policy: RetryPolicy } {
	const { concurrency: _c, breaker: _b, bodyRules: _r, ...overrides } = flow.policy ?? {};
	const preset = engine.getPreset(flow.preset);
	const policy = engine.resolvePolicy(preset, { jitter: 'additive', ...(overrides as Partial<RetryPolicy>) });
	return { preset, policy };
}

function encodeBody(step: Step, headers: Record<string, string>): string | undefined {
	if (step.body === null || step.body === undefined) return undefined;
	if (typeof step.body === 'string') return step.body;
	if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
	return JSON.stringify(step.body);
}

type PreparedStep = { step: Step; go: () => Promise<ItemRun> };

/** Builds everything a step needs before the scenario clock starts, so issuing it costs no setup time. */
function prepareStep(flow: Flow, base: string, step: Step, client: number, run: string, stepIndex: number): PreparedStep {
	if (step.forEach) throw new Error(`step ${stepIndex + 1} uses forEach, which the player does not run yet`);
	const { preset, policy } = policyFor(flow);
	const classify = engine.createClassifier({ preset, policy, userRules: userRules(flow), presetOptions: flow.presetOptions });
	const headers: Record<string, string> = { ...(step.headers ?? {}), [CLIENT_HEADER]: String(client), [RUN_HEADER]: run };
	const idempotencyKey = step.idempotencyKey === 'auto' ? randomUUID() : undefined;
	const body = encodeBody(step, headers);
	const url = step.url ?? `${base}${step.path ?? ''}`;
	const request = { method: step.method.toUpperCase(), url, idempotencyKey, declaredIdempotent: step.idempotent === true };
	// The engine attaches the key itself, the same value on every attempt.
	const send = engine.createAxiosSend({ method: request.method, url, headers, body, timeoutMs: policy.timeoutMs, idempotencyKey });
	const reconcile = lookupFor(step, base, headers, policy);
	return { step, go: () => execute({ request, policy, classify, send, reconcile }, { client, run, stepIndex, idempotencyKey }) };
}

/** The step's declared lookup (mock base + reconcile.path), sent with the same client/run tags as the write. */
function lookupFor(step: Step, base: string, writeHeaders: Record<string, string>, policy: RetryPolicy): engine.ReconcileOptions | undefined {
	const rc = step.reconcile;
	if (!rc) return undefined;
	const headers = { [CLIENT_HEADER]: writeHeaders[CLIENT_HEADER], [RUN_HEADER]: writeHeaders[RUN_HEADER] };
	const send = engine.createAxiosSend({ method: rc.method.toUpperCase(), url: `${base}${rc.path}`, headers, timeoutMs: policy.timeoutMs });
	return { send, foundWhen: rc.foundWhen, resultPath: rc.resultPath, minIntervalMs: rc.minIntervalMs, maxTries: rc.maxTries };
}

async function execute(
	o: Pick<engine.ExecuteOptions, 'request' | 'policy' | 'classify' | 'send' | 'reconcile'>,
	who: Pick<ItemRun, 'client' | 'run' | 'stepIndex' | 'idempotencyKey'>,
): Promise<ItemRun> {
	const logs: string[] = [];
	let warned = false;
	const log = (level: string, message: string) => {
		logs.push(message);
		if (level === 'warn') warned = true;
	};
	const startedAt = Date.now();
	const item: ItemRun = { ...who, startedAt, settledAt: 0, outcome: 'unknown', messages: [], warned: false };
	try {
		const result = await engine.executeWithRetry({
			...o,
			clock: { now: () => Date.now() },
			sleep: realSleep,
			random: playerRandom,
			log,
		});
		item.settledAt = Date.now();
		item.result = result;
		item.outcome = readmeOutcome(result);
		item.messages = [
			...result.warnings,
			...result.attempts.flatMap((a) => [a.reason, ...(a.warnings ?? [])]),
			...(result.verdict ? [result.verdict.reason] : []),
			...logs,
		];
		item.warned = warned || result.warnings.length > 0 || result.attempts.some((a) => (a.warnings ?? []).length > 0);
	} catch (err) {
		item.settledAt = Date.now();
		item.thrown = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
		item.outcome = `threw (${item.thrown})`;
		item.messages = [item.thrown, ...logs];
	}
	return item;
}

/** One client's pass over the steps: `atMs` steps start on schedule, the others after the previous step. */
function runSteps(steps: PreparedStep[], start: number): Promise<ItemRun[]> {
	let previous: Promise<unknown> = Promise.resolve();
	const pending = steps.map(({ step, go }) => {
		const p = step.atMs !== undefined ? realSleep(start + step.atMs - Date.now()).then(go) : previous.then(go);
		previous = p;
		return p;
	});
	return Promise.all(pending);
}

/** One throwaway request through the engine, so lazy loading does not delay the first flow's requests. */
export async function warmUp(): Promise<void> {
	const flow = { id: 'warm-up', title: '', preset: 'generic', steps: [], responses: [{ status: 200, body: {} }], expect: {} } as Flow;
	const server = new ScriptedServer(flow);
	const base = await server.start();
	await prepareStep(flow, base, { method: 'GET', path: '/', body: null, idempotencyKey: null }, 1, '1', 0).go();
	await server.close();
}

/** Plays a whole flow: every run in order, every client of a run at once. */
export async function playFlow(flow: Flow): Promise<FlowRun> {
	const server = new ScriptedServer(flow);
	const base = await server.start();
	const items: ItemRun[] = [];
	let start = 0;
	try {
		const runs = flow.runs?.length ? flow.runs.map((r) => String(r.id)) : ['1'];
		for (const run of runs) {
			const clients = Array.from({ length: Math.max(1, flow.clients ?? 1) }, (_, c) =>
				flow.steps.map((step, i) => prepareStep(flow, base, step, c + 1, run, i)),
			);
			if (!start) server.scenarioStart = start = Date.now();
			for (const list of await Promise.all(clients.map((steps) => runSteps(steps, start)))) items.push(...list);
		}
	} finally {
		// Let the mock see sockets the client just closed, so their end times are recorded.
		await realSleep(200);
		await server.close();
	}
	return { flow, server, start, items };
}
