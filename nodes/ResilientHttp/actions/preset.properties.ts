// The preset selector and, per preset, a notice stating what it sets, all generated from the engine's preset data.
import type { INodeProperties } from 'n8n-workflow';

import { listPresets, resolvePolicy } from '../../../src';
import { limitsFor, type BucketSpec } from '../../../src/ratelimit';
import { isValidTimeZone } from '../../../src/classify/retryAtTemplates';
import type { Preset } from '../../../src/types';
import { ConfigError } from '../../shared/configError';

function seconds(ms: number): string {
	return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

const rate = (b: BucketSpec) => (b.ratePerSec > 0 ? `${b.ratePerSec}/s (burst ${b.burst})` : 'no fixed rate');

/** What Rate Limit → Preset's Limits does for this preset, in one clause. */
export function describeLimits(name: string): string {
	const l = limitsFor(name);
	const parts = [`rate limit ${rate(l.bucket)} per credential, slowed by its rate-limit headers`];
	for (const c of l.classes ?? []) parts.push(`${c.name} ${rate(c.bucket)}`);
	const tiers = Object.entries(l.tiers ?? {}).map(([t, b]) => `${t} ${rate(b)}`);
	if (tiers.length) parts.push(`plans: ${tiers.join(', ')}`);
	parts.push(`daily reserve ${Math.round((l.bucket.dailyReserveShare ?? 0.05) * 100)} % for critical calls`);
	return parts.join(', ');
}

export function describePreset(preset: Preset): string {
	const p = resolvePolicy(preset);
	const parts = [
		`${p.maxAttempts} attempts`,
		`backoff ${seconds(p.baseDelayMs)} ×${p.factor} up to ${seconds(p.maxDelayMs)} (${p.jitter} jitter)`,
		`retry window ${seconds(p.maxRetryWindowMs)}`,
		`server waits (Retry-After) up to ${seconds(p.maxServerWaitMs)}, longer ones defer the item`,
		`timeout ${seconds(p.timeoutMs)}`,
	];
	const n = preset.rules.length;
	if (n) parts.push(`${n} body rule${n === 1 ? '' : 's'} (${preset.rules.map((r) => r.id).join(', ')})`);
	if (preset.idempotencyHeader) parts.push(`idempotency header ${preset.idempotencyHeader}`);
	parts.push(describeLimits(preset.name));
	return `${preset.title} sets: ${parts.join('; ')}. Rate Limit and Options override any of it.`;
}

export function presetProperties(): INodeProperties[] {
	const presets = listPresets();
	return [
		{
			displayName: 'Preset',
			name: 'preset',
			type: 'options',
			noDataExpression: true,
			options: presets.map((p) => ({ name: p.title, value: p.name, description: p.source })),
			default: 'generic',
			description: 'The platform you are calling: sets attempts, waits and which error bodies mean "retry" or "give up"',
		},
		...presets.map(
			(p): INodeProperties => ({
				displayName: describePreset(p),
				name: `presetNotice_${p.name.replace(/[^A-Za-z0-9]/g, '_')}`,
				type: 'notice',
				default: '',
				displayOptions: { show: { preset: [p.name] } },
			}),
		),
		...presetOptionProperties(presets),
	];
}

/** One text parameter per option a preset understands (HubSpot's account time zone), shown for the presets that use it. */
function presetOptionProperties(presets: Preset[]): INodeProperties[] {
	const byName = new Map<string, { description: string; presets: string[] }>();
	for (const p of presets) {
		for (const o of p.options ?? []) {
			const e = byName.get(o.name) ?? { description: o.description, presets: [] };
			e.presets.push(p.name);
			byName.set(o.name, e);
		}
	}
	return [...byName].map(([name, e]) => ({
		displayName: name.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase()),
		name,
		type: 'string',
		default: '',
		placeholder: name === 'accountTimeZone' ? 'America/New_York' : '',
		description: e.description,
		displayOptions: { show: { preset: e.presets } },
	}));
}

/** The options this preset understands (HubSpot's account time zone) as an item set them, empty ones left out. */
export function presetOptionsOf(preset: Preset, read: (name: string) => unknown): Record<string, string> {
	const out: Record<string, string> = {};
	for (const o of preset.options ?? []) {
		const v = String(read(o.name) ?? '').trim();
		if (o.name === 'accountTimeZone' && v && !isValidTimeZone(v)) throw new ConfigError(o.name, `Account Time Zone "${v}" is not an IANA time zone such as America/New_York`);
		if (v) out[o.name] = v;
	}
	return out;
}
