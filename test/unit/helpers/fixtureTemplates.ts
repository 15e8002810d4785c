// Renders the scenario time templates ({{httpDate:+5s}}, {{epochMs:+30s}}, ...) against a fixed anchor.
import { renderRetryAt } from '../../../src';

const UNIT: Record<string, number> = { ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000 };

function offsetMs(spec: string): number {
	const m = /^([+-])(\d+)(ms|s|m|h|d)$/.exec(spec.trim());
	if (!m) throw new Error(`bad template offset ${spec}`);
	return (m[1] === '-' ? -1 : 1) * Number(m[2]) * UNIT[m[3]];
}

/** Epoch ms a template names: the value templates and the retryAt-only ones. */
export function templateTime(template: string, anchor: number): number {
	const m = /^\{\{(httpDate|epochSeconds|epochMs|rfc3339):([^}]+)\}\}$/.exec(template.trim());
	if (m) return anchor + offsetMs(m[2]);
	return renderRetryAt(template, anchor);
}

export function renderString(value: string, anchor: number): string {
	return value.replace(/\{\{(httpDate|epochSeconds|epochMs|rfc3339):([^}]+)\}\}/g, (_all, kind: string, off: string) => {
		const t = anchor + offsetMs(off);
		switch (kind) {
			case 'httpDate':
				return new Date(t).toUTCString();
			case 'epochSeconds':
				return String(Math.floor(t / 1000));
			case 'epochMs':
				return String(t);
			default:
				return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
		}
	});
}
