// retryAt templates for quota windows: next UTC/local midnight, month start, minute boundary, now + offset.

/** Offset from UTC (ms) of a zone at an instant, via Intl (no tz database dependency). */
function zoneOffsetMs(zone: string, at: number): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone: zone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(at));
	const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
	const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
	return asUtc - Math.floor(at / 1000) * 1000;
}

export function isValidTimeZone(zone: string): boolean {
	try {
		new Intl.DateTimeFormat('en-US', { timeZone: zone });
		return true;
	} catch {
		return false;
	}
}

/** The next 00:00 local time in `zone` strictly after `now`. */
export function nextMidnightIn(zone: string, now: number): number {
	const off = zoneOffsetMs(zone, now);
	const local = new Date(now + off);
	const nextLocalMidnight = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + 1);
	// Guess with today's offset, then correct once for a DST change between now and midnight.
	let guess = nextLocalMidnight - off;
	const off2 = zoneOffsetMs(zone, guess);
	if (off2 !== off) guess = nextLocalMidnight - off2;
	return guess;
}

export function nextUtcMidnight(now: number): number {
	const d = new Date(now);
	return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
}

export function nextUtcMonthStart(now: number): number {
	const d = new Date(now);
	return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

export function nextMinuteBoundary(now: number): number {
	return (Math.floor(now / 60000) + 1) * 60000;
}

export function nextUtcHour(now: number): number {
	return (Math.floor(now / 3600000) + 1) * 3600000;
}

const OFFSET_UNIT: Record<string, number> = { ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000 };

/**
 * Renders a retryAt template to epoch ms. Supported: {{nextUtcMidnight}}, {{nextMidnight:<IANA zone>}},
 * {{nextAccountMidnight}} (presetOptions.accountTimeZone, else UTC), {{nextUtcMonthStart}}, {{nextMinuteBoundary}},
 * {{nextUtcHour}}, {{now:+24h}}. Throws on anything else so a typo in a rule is loud.
 */
export function renderRetryAt(template: string, now: number, options: Record<string, string> = {}): number {
	const m = /^\s*\{\{\s*([A-Za-z]+)(?::([^}]+))?\s*\}\}\s*$/.exec(template);
	if (!m) throw new Error(`retryAt template "${template}" is not of the form {{name}} or {{name:arg}}`);
	const [, name, arg] = m;
	switch (name) {
		case 'nextUtcMidnight':
			return nextUtcMidnight(now);
		case 'nextMidnight': {
			const zone = (arg ?? 'UTC').trim();
			if (!isValidTimeZone(zone)) throw new Error(`Unknown time zone "${zone}" in retryAt template`);
			return nextMidnightIn(zone, now);
		}
		case 'nextAccountMidnight': {
			const zone = options.accountTimeZone?.trim() || 'UTC';
			if (!isValidTimeZone(zone)) throw new Error(`Unknown accountTimeZone "${zone}"; use an IANA name such as Europe/Berlin`);
			return nextMidnightIn(zone, now);
		}
		case 'nextUtcMonthStart':
			return nextUtcMonthStart(now);
		case 'nextMinuteBoundary':
			return nextMinuteBoundary(now);
		case 'nextUtcHour':
			return nextUtcHour(now);
		case 'now': {
			const o = /^([+-])(\d+)(ms|s|m|h|d)$/.exec((arg ?? '+0s').trim());
			if (!o) throw new Error(`retryAt offset "${arg}" must look like +30s, +1h or +24h`);
			return now + (o[1] === '-' ? -1 : 1) * Number(o[2]) * OFFSET_UNIT[o[3]];
		}
		default:
			throw new Error(`Unknown retryAt template "${template}"`);
	}
}
