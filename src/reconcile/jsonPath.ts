// The JSONPath subset lookups need ($.a.b[0].c); anything richer belongs in a real JSONPath library.

/** Splits "$.a.b[0].c" into ["a", "b", 0, "c"]; throws on anything outside the subset. */
export function parseJsonPath(path: string): Array<string | number> {
	const p = path.trim();
	if (!p.startsWith('$')) throw new Error(`JSONPath must start with "$": ${path}`);
	const parts: Array<string | number> = [];
	const re = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\[['"]([^'"]+)['"]\]/y;
	re.lastIndex = 1;
	while (re.lastIndex < p.length) {
		const at = re.lastIndex;
		const m = re.exec(p);
		if (!m) throw new Error(`unsupported JSONPath at "${p.slice(at)}" in ${path} (supported: $.a.b[0].c)`);
		parts.push(m[2] !== undefined ? Number(m[2]) : (m[1] ?? m[3]));
	}
	return parts;
}

/** The value at the path, or undefined when any step is missing. */
export function readJsonPath(value: unknown, path: string): unknown {
	let cur: unknown = value;
	for (const key of parseJsonPath(path)) {
		if (cur === null || typeof cur !== 'object') return undefined;
		if (typeof key === 'number' && !Array.isArray(cur)) return undefined;
		cur = (cur as Record<string | number, unknown>)[key];
	}
	return cur;
}
