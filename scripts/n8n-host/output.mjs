// Reads what `n8n execute` prints and what n8n logs, without trusting that nothing else shares the stream.

/**
 * `n8n execute` prints the whole run (IRun) as JSON.stringify(run, null, 2) through n8n's logger, possibly
 * after and before other log lines (task broker, migrations, warnings). With 2-space indentation only the
 * outer braces sit at column 0, so the run is the text between a line "{" and the next line "}".
 * Returns the parsed run or null.
 */
export function parseRunOutput(stdout) {
	const lines = String(stdout).split(/\r?\n/);
	let found = null;
	for (let i = 0; i < lines.length; i++) {
		if (lines[i] !== '{') continue;
		let j = i + 1;
		while (j < lines.length && lines[j] !== '}') j++;
		if (j >= lines.length) break;
		try {
			const obj = JSON.parse(lines.slice(i, j + 1).join('\n'));
			if (obj && typeof obj === 'object' && obj.data && ('status' in obj || 'finished' in obj)) found = obj;
		} catch {
			/* a log line that happens to be "{" — keep looking */
		}
		i = j;
	}
	return found;
}

/** The json of every item a node emitted on one output (all runs of the node concatenated). */
export function nodeItems(run, nodeName, outputIndex = 0) {
	const runs = run?.data?.resultData?.runData?.[nodeName] ?? [];
	const items = [];
	for (const r of runs) for (const it of r?.data?.main?.[outputIndex] ?? []) items.push(it.json);
	return items;
}

/** Number of outputs and items per output for every node that ran: { Node: [n0, n1, …] }. */
export function outputCounts(run) {
	const counts = {};
	for (const [name, runs] of Object.entries(run?.data?.resultData?.runData ?? {})) {
		const c = [];
		for (const r of runs) (r?.data?.main ?? []).forEach((out, k) => (c[k] = (c[k] ?? 0) + (out?.length ?? 0)));
		counts[name] = c;
	}
	return counts;
}

/**
 * Warning/error entries from n8n's JSON log file (N8N_LOG_OUTPUT=file) and from raw console text.
 * Returns [{ level, message, source }]. JSON lines carry a level; raw text lines are judged by keywords.
 */
export function problemLines({ jsonLog = '', text = '' } = {}) {
	const out = [];
	for (const line of String(jsonLog).split('\n')) {
		if (!line.trim()) continue;
		try {
			const e = JSON.parse(line);
			const level = String(e.level ?? '').toLowerCase();
			if (level === 'warn' || level === 'error') {
				out.push({ level, message: String(e.message) + (e.metadata ? ' ' + JSON.stringify(e.metadata) : ''), source: 'log' });
			}
		} catch {
			if (/\b(warn|warning|error)\b/i.test(line)) out.push({ level: 'text', message: line, source: 'log' });
		}
	}
	for (const line of String(text).split('\n')) {
		if (/\b(warn(ing)?|error|failed|deprecat\w*)\b/i.test(line) && !line.startsWith(' ')) {
			out.push({ level: 'text', message: line, source: 'console' });
		}
	}
	return out;
}
