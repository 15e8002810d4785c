// An idempotency key read from an expression: text or a number. Anything else would go out as "null" or
// "[object Object]", one key shared by every such item of every run.
import { ConfigError } from './configError';

export function keyFromValue(v: unknown, parameter: string, label = 'The key'): string {
	if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) throw new ConfigError(parameter, `${label} is empty for this item`);
	if (typeof v !== 'string' && typeof v !== 'number') {
		const what = Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
		throw new ConfigError(parameter, `${label} must be text or a number, not ${what}`);
	}
	return String(v).trim();
}
