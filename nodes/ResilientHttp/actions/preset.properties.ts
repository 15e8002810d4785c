// The preset selector and, per preset, a notice stating what it sets, all generated from the engine's preset data.
import type { INodeProperties } from 'n8n-workflow';

import { listPresets, resolvePolicy } from '../../../src';
import type { Preset } from '../../../src/types';

function seconds(ms: number): string {
	return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
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
	return `${preset.title} sets: ${parts.join('; ')}. Anything under Options overrides it.`;
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
	];
}
