// Time templates of the scenario README (§1 Templates), rendered from an anchor on the player's clock.

const OFFSET_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const TEMPLATE = /\{\{\s*([A-Za-z]+)(?::([^}]*))?\s*\}\}/g;
/** Templates whose rendered value has one-second resolution, so their response must leave on a whole second. */
const SECOND_RESOLUTION = /\{\{\s*(httpDate|epochSeconds|rfc3339)\b/;

export function parseOffset(text: string | undefined): number {
	if (!text) return 0;
	const m = /^\s*([+-])(\d+)(ms|s|m|h|d)\s*$/.exec(text);
	if (!m) throw new Error(`bad template offset "${text}"`);
	return (m[1] === '-' ? -1 : 1) * Number(m[2]) * OFFSET_UNITS[m[3]];
}

export function needsWholeSecond(values: Array<string | undefined>): boolean {
	return values.some((v) => typeof v === 'string' && SECOND_RESOLUTION.test(v));
}

/** Epoch ms of 00:00 local time in `zone` on the next local day after `anchor`. */
function nextMidnightIn(zone: string, anchor: number): number {
	const fmt = new Intl.DateTimeFormat('en-US', {
		timeZone: zone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	});
	const parts = (t: number) => {
		const p: Record<string, number> = {};
		for (const x of fmt.formatToParts(new Date(t))) if (x.type !== 'literal') p[x.type] = Number(x.value);
		return p;
	};
	const offsetAt = (t: number) => {
		const p = parts(t);
		return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(t / 1000) * 1000;
	};
	const local = parts(anchor);
	const wallMidnight = Date.UTC(local.year, local.month - 1, local.day + 1);
	// Two passes settle the zone offset across a DST change on that night.
	let guess = wallMidnight - offsetAt(anchor);
	guess = wallMidnight - offsetAt(guess);
	return guess;
}

/** The epoch ms a single template names, or undefined when the name is not a time template. */
export function templateEpochMs(name: string, arg: string | undefined, anchor: number): number | undefined {
	switch (name) {
		case 'httpDate':
		case 'epochSeconds':
		case 'epochMs':
		case 'rfc3339':
			return anchor + parseOffset(arg);
		case 'nextUtcMidnight': {
			const d = new Date(anchor);
			return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
		}
		case 'nextUtcMonthStart': {
			const d = new Date(anchor);
			return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
		}
		case 'nextMinuteBoundary':
			return Math.floor(anchor / 60_000) * 60_000 + 60_000;
		case 'nextMidnight':
			return nextMidnightIn(String(arg).trim(), anchor);
		default:
			return undefined;
	}
}

function formatAs(name: string, t: number): string {
	switch (name) {
		case 'httpDate':
			return new Date(t).toUTCString();
		case 'epochSeconds':
			return String(Math.floor(t / 1000));
		case 'rfc3339':
			return new Date(Math.floor(t / 1000) * 1000).toISOString().replace('.000Z', 'Z');
		default:
			return String(t);
	}
}

/** Replaces every time template in `text`; other `{{...}}` (e.g. item fields) are left as they are. */
export function renderTemplates(text: string, anchor: number): string {
	return text.replace(TEMPLATE, (whole, name: string, arg?: string) => {
		const t = templateEpochMs(name, arg, anchor);
		return t === undefined ? whole : formatAs(name, t);
	});
}

/** For `retryAtTemplate` fields: the single template's instant as epoch ms. */
export function templateInstant(text: string, anchor: number): number {
	const m = /^\s*\{\{\s*([A-Za-z]+)(?::([^}]*))?\s*\}\}\s*$/.exec(text);
	const t = m ? templateEpochMs(m[1], m[2], anchor) : undefined;
	if (t === undefined) throw new Error(`not a time template: ${text}`);
	return t;
}
