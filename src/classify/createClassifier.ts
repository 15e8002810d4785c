// The classifier the executor calls for every attempt, bound to a preset, a policy and the user's rules.
import type { AttemptResult, BodyRule, Preset, RequestFacts, RetryPolicy, Verdict } from '../types';
import { classifyNetwork } from './classifyNetwork';
import { classifyResponse, type ClassifierContext } from './classifyResponse';

export type Classifier = (result: AttemptResult, request: RequestFacts, now: number) => Verdict;

export function createClassifier(o: { preset: Preset; policy: RetryPolicy; userRules?: BodyRule[]; presetOptions?: Record<string, string> }): Classifier {
	const ctx: ClassifierContext = { preset: o.preset, policy: o.policy, userRules: o.userRules, presetOptions: o.presetOptions };
	return (result, request, now) =>
		result.kind === 'network' ? classifyNetwork(ctx, result.error, request) : classifyResponse(ctx, normalise(result.response), request, now);
}

/** Header names lower-cased and the body a string, whatever the sender handed in. */
function normalise(r: { status: number; headers: Record<string, string>; body: string }) {
	const headers: Record<string, string> = {};
	for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
	const body = typeof r.body === 'string' ? r.body : r.body === undefined || r.body === null ? '' : JSON.stringify(r.body);
	return { status: r.status, headers, body };
}
