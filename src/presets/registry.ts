// The preset registry: lookup by name, list, and merging a preset's policy with the user's overrides.
import type { Preset, RetryPolicy } from '../types';
import { DEFAULT_POLICY } from './defaults';
import { ALL_PRESETS } from './all';

const byName = new Map<string, Preset>(ALL_PRESETS.map((p) => [p.name, p]));

export function listPresets(): Preset[] {
	return [...ALL_PRESETS];
}

export function getPreset(name: string): Preset {
	const p = byName.get(String(name ?? '').trim().toLowerCase());
	if (!p) throw new Error(`Unknown preset "${name}". Valid presets: ${[...byName.keys()].join(', ')}`);
	return p;
}

const JITTERS = ['full', 'equal', 'additive', 'decorrelated', 'none'];

/** Defaults ← preset ← overrides (undefined values in overrides are ignored). Throws on values that make no sense. */
export function resolvePolicy(preset: Preset, overrides: Partial<RetryPolicy> = {}): RetryPolicy {
	const clean = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined && v !== null)) as Partial<RetryPolicy>;
	const p: RetryPolicy = { ...DEFAULT_POLICY, ...preset.policy, ...clean };
	const problems: string[] = [];
	if (!Number.isInteger(p.maxAttempts) || p.maxAttempts < 1) problems.push('maxAttempts must be a whole number ≥ 1');
	for (const k of ['baseDelayMs', 'maxDelayMs', 'maxRetryWindowMs', 'maxServerWaitMs', 'timeoutMs'] as const) {
		if (typeof p[k] !== 'number' || !(p[k] >= 0)) problems.push(`${k} must be a number ≥ 0`);
	}
	if (!(p.factor >= 1)) problems.push('factor must be ≥ 1');
	if (!JITTERS.includes(p.jitter)) problems.push(`jitter must be one of ${JITTERS.join(', ')}`);
	if (problems.length > 0) throw new Error(`Invalid retry policy: ${problems.join('; ')}`);
	return p;
}
