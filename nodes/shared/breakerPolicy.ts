// Breaker policy parameters (defaults straight from the engine) and their parsing into a BreakerPolicyInput.
import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_BREAKER_POLICY as D, resolveBreakerPolicy, type BreakerPolicy, type BreakerPolicyInput } from '../../src/breaker';
import { ConfigError } from './configError';

export interface RawBreakerPolicy {
	failureRatePercent?: number;
	windowType?: string;
	windowSize?: number;
	rollingWindowMs?: number;
	minimumCalls?: number;
	consecutiveFailures?: number;
	resetTimeoutMs?: number;
	openBackoffFactor?: number;
	maxOpenMs?: number;
	respectRetryAfter?: boolean;
	halfOpenMaxProbes?: number;
	probeLeaseMs?: number;
	slowCallDurationMs?: number;
	slowCallRatePercent?: number;
}

function num(displayName: string, name: keyof RawBreakerPolicy, value: number, description: string, minValue = 0): INodeProperties {
	const p: INodeProperties = { displayName, name, type: 'number', typeOptions: { minValue }, default: 0, description };
	p.default = value;
	return p;
}

export function breakerPolicyProperty(show?: Record<string, Array<string | boolean>>): INodeProperties {
	return {
		displayName: 'Breaker Policy',
		name: 'breakerPolicy',
		type: 'collection',
		placeholder: 'Add Setting',
		default: {},
		description: `Unset settings use the defaults: trip at ${D.failureRateThreshold * 100}% failures of the last ${D.windowSize} calls (at least ${D.minimumCalls}), stay open ${D.resetTimeoutMs / 1000} s, then let ${D.halfOpenMaxProbes} probe through`,
		...(show ? { displayOptions: { show } } : {}),
		options: [
			num('Consecutive Failures', 'consecutiveFailures', 5, 'Trip after this many failures in a row (0 = off). Set alone, it replaces the failure-rate trip.'),
			num('Failure Rate (%)', 'failureRatePercent', D.failureRateThreshold * 100, 'Share of failed calls in the window that trips the breaker (0 = off)'),
			num('Half-Open Probes', 'halfOpenMaxProbes', D.halfOpenMaxProbes, 'Calls let through after the open period, across all executions and workers; that many successes close the breaker', 1),
			num('Max Open Duration (Ms)', 'maxOpenMs', D.maxOpenMs, 'Cap on the open duration, also for a Retry-After the server sends', 1),
			num('Minimum Calls', 'minimumCalls', D.minimumCalls, 'Fewest calls in the window before a rate can trip the breaker', 1),
			num('Open Duration (Ms)', 'resetTimeoutMs', D.resetTimeoutMs, 'How long the breaker stays open (no calls) before it lets probes through', 1),
			num('Open Duration Growth', 'openBackoffFactor', D.openBackoffFactor, 'Multiplies the open duration on each trip without a recovery in between (1 = constant)', 1),
			num('Probe Lease (Ms)', 'probeLeaseMs', D.probeLeaseMs, 'A probe that never reports back (crashed worker) frees its slot after this long', 1),
			{
				displayName: 'Respect Retry-After',
				name: 'respectRetryAfter',
				type: 'boolean',
				default: true,
				description: 'Whether a Retry-After on the failure that trips the breaker sets how long it stays open',
			},
			num('Slow Call (Ms)', 'slowCallDurationMs', D.slowCallDurationMs, 'A call at least this long counts as slow (0 = off)'),
			num('Slow Call Rate (%)', 'slowCallRatePercent', D.slowCallRateThreshold * 100, 'Share of slow calls that trips the breaker (0 = off)'),
			num('Window (Ms)', 'rollingWindowMs', D.rollingWindowMs, 'Calls older than this leave the window (count window: 0 = never)'),
			num('Window Size (Calls)', 'windowSize', D.windowSize, 'For a count window: how many of the latest calls are judged', 1),
			{
				displayName: 'Window Type',
				name: 'windowType',
				type: 'options',
				options: [
					{ name: 'Last N Calls', value: 'count' },
					{ name: 'Time Window', value: 'time' },
				],
				default: 'count',
				description: 'Judge the last N calls, or every call of the last Window (Ms)',
			},
		],
	};
}

/** Only the settings the user added are passed on; the engine fills in (and validates) the rest. */
export function parseBreakerPolicy(raw: RawBreakerPolicy = {}): BreakerPolicy {
	const input: BreakerPolicyInput = {};
	const n = (v: unknown, name: string): number | undefined => {
		if (v === undefined || v === null || v === '') return undefined;
		const x = Number(v);
		if (!Number.isFinite(x)) throw new ConfigError(`breakerPolicy.${name}`, `"${String(v)}" is not a number`);
		return x;
	};
	const pct = (v: unknown, name: string) => {
		const x = n(v, name);
		if (x !== undefined && (x < 0 || x > 100)) throw new ConfigError(`breakerPolicy.${name}`, 'Must be a percentage from 0 to 100');
		return x === undefined ? undefined : x / 100;
	};
	input.failureRateThreshold = pct(raw.failureRatePercent, 'failureRatePercent');
	input.slowCallRateThreshold = pct(raw.slowCallRatePercent, 'slowCallRatePercent');
	for (const k of ['windowSize', 'rollingWindowMs', 'minimumCalls', 'consecutiveFailures', 'resetTimeoutMs', 'openBackoffFactor', 'maxOpenMs', 'halfOpenMaxProbes', 'probeLeaseMs', 'slowCallDurationMs'] as const) {
		(input as Record<string, unknown>)[k] = n(raw[k], k);
	}
	if (raw.windowType !== undefined) input.windowType = raw.windowType as BreakerPolicy['windowType'];
	if (raw.respectRetryAfter !== undefined) input.respectRetryAfter = Boolean(raw.respectRetryAfter);
	// A longer open duration than the default cap raises the cap rather than failing validation.
	if (input.resetTimeoutMs !== undefined && input.maxOpenMs === undefined) input.maxOpenMs = Math.max(D.maxOpenMs, input.resetTimeoutMs);
	let problem: string | undefined;
	let policy: BreakerPolicy | undefined;
	try {
		policy = resolveBreakerPolicy(input);
	} catch (e) {
		problem = (e as Error).message;
	}
	if (!policy) throw new ConfigError('breakerPolicy', problem ?? 'invalid breaker policy');
	return policy;
}
