// Safe JSON handling: a body that is empty, HTML or truncated never throws here.

export function safeParseJson(body: string): unknown {
	const t = body.trim();
	if (t === '' || (t[0] !== '{' && t[0] !== '[')) return undefined;
	try {
		return JSON.parse(t);
	} catch {
		return undefined;
	}
}

/** Dotted path into a parsed body: "error.type", "errors.0.code", "[0].errorCode". */
export function getPath(value: unknown, path: string): unknown {
	if (path === '' || path === '.') return value;
	const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.').filter((k) => k !== '');
	let cur: unknown = value;
	for (const k of keys) {
		if (cur === null || cur === undefined) return undefined;
		if (Array.isArray(cur)) {
			const i = Number(k);
			cur = Number.isInteger(i) ? cur[i] : undefined;
		} else if (typeof cur === 'object') {
			cur = (cur as Record<string, unknown>)[k];
		} else {
			return undefined;
		}
	}
	return cur;
}

/** The human message a JSON error body carries, in the shapes the presets meet. */
export function errorMessageOf(parsed: unknown): string | undefined {
	const candidates = [
		'error.message',
		'message',
		'error_description',
		'errors.0.detail',
		'errors.0.message',
		'0.message',
		'error.errors.0.message',
		'detail',
		'error',
	];
	for (const p of candidates) {
		const v = getPath(parsed, p);
		if (typeof v === 'string' && v.trim() !== '') return v.trim();
	}
	return undefined;
}
