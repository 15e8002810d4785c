// Structure before patterns: JSON inside text (n8n's `400 - "{\"headers\":{…}}"`, a body that echoes the request) is
// parsed, redacted by field name, and written back at its own escape level, however deeply it is encoded.

/** Text longer than this is left to the pattern rules alone: scanning it for JSON would cost too much. */
const MAX_SCAN = 256 * 1024;

/** Characters the scanners may still visit: unbalanced brackets must not make one text cost quadratic time. */
interface Budget {
	left: number;
}

/** Index of the quote closing the JSON string that opens at `start`, or -1. */
function stringEnd(text: string, start: number, b: Budget): number {
	for (let i = start + 1; i < text.length && b.left-- > 0; i++) {
		const c = text[i];
		if (c === '\\') i++;
		else if (c === '"') return i;
		else if (c === '\n') return -1;
	}
	return -1;
}

/** Index of the bracket closing the object or array that opens at `start` (strings skipped), or -1. */
function balancedEnd(text: string, start: number, b: Budget): number {
	let depth = 0;
	for (let i = start; i < text.length && b.left-- > 0; i++) {
		const c = text[i];
		if (c === '"') {
			const e = stringEnd(text, i, b);
			if (e < 0) return -1;
			i = e;
		} else if (c === '{' || c === '[') depth++;
		else if (c === '}' || c === ']') {
			depth--;
			if (depth === 0) return i;
		}
	}
	return -1;
}

function parse(text: string): { ok: true; value: unknown } | { ok: false } {
	try {
		return { ok: true, value: JSON.parse(text) as unknown };
	} catch {
		return { ok: false };
	}
}

// Written back the way it came: pretty-printed JSON stays pretty-printed.
function stringify(value: unknown, original: string): string {
	const indent = /\n([ \t]+)\S/.exec(original)?.[1];
	return indent ? JSON.stringify(value, null, indent) : JSON.stringify(value);
}

export interface EmbeddedRules {
	/** Redacts a parsed JSON value (objects by field name); returns the same value when nothing changed. */
	value: (v: unknown) => unknown;
	/** Redacts the decoded content of a JSON string literal found in the text. */
	text: (s: string) => string;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Replaces every JSON object, array or escaped string literal inside `text` with its redacted form; the rest of the
 * text is returned as it was (the pattern rules run over the whole result afterwards).
 */
export function redactEmbedded(text: string, rules: EmbeddedRules): string {
	if (text.length > MAX_SCAN || !/[{["]/.test(text)) return text;
	let out = '';
	let last = 0;
	const budget: Budget = { left: 8 * text.length + 10_000 };
	for (let i = 0; i < text.length && budget.left > 0; i++) {
		const c = text[i];
		if (c !== '{' && c !== '[' && c !== '"') continue;
		const end = c === '"' ? stringEnd(text, i, budget) : balancedEnd(text, i, budget);
		if (end < 0) continue;
		const segment = text.slice(i, end + 1);
		// A plain quoted string needs no decoding: the pattern rules see it as it is.
		if (c === '"' && !segment.includes('\\')) continue;
		const parsed = parse(segment);
		if (!parsed.ok) continue;
		const redacted = typeof parsed.value === 'string' ? rules.text(parsed.value) : rules.value(parsed.value);
		const replacement = same(redacted, parsed.value) ? segment : stringify(redacted, segment);
		out += text.slice(last, i) + replacement;
		last = end + 1;
		i = end;
	}
	return last === 0 ? text : out + text.slice(last);
}
