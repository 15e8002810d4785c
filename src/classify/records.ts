// Per-record verdicts for batch responses that succeed as a whole but fail some records, and the raw value of each
// record (its result or its error) for a node that routes every record on its own.
import type { RecordVerdict, RecordsSpec } from '../types';
import { errorMessageOf, getPath } from './jsonBody';
import { classifyRecordError } from './recordRules';

export interface RecordEntry {
	verdict: RecordVerdict;
	/** The record as the response listed it: a result (success) or an error / failed SaveResult. */
	value: unknown;
}

function idString(v: unknown): string | undefined {
	if (v === undefined || v === null) return undefined;
	return Array.isArray(v) ? v.map(String).join('.') : String(v);
}

/** "a|b": the first of these paths that holds a value. */
export function firstPath(value: unknown, paths: string): unknown {
	for (const p of paths.split('|')) {
		const v = getPath(value, p.trim());
		if (v !== undefined && v !== null) return v;
	}
	return undefined;
}

function failed(spec: RecordsSpec, index: number, id: string | undefined, err: unknown, fallback: unknown): RecordEntry {
	const c = classifyRecordError(spec, err);
	const verdict: RecordVerdict = { index, id, class: c.class, reason: errorMessageOf(err) ?? errorMessageOf(fallback) ?? 'record failed' };
	if (c.rule) verdict.rule = c.rule;
	if (c.waitMs !== undefined) verdict.waitMs = c.waitMs;
	return { verdict, value: fallback };
}

export function recordEntries(spec: RecordsSpec, parsed: unknown): RecordEntry[] | undefined {
	if (parsed === undefined) return undefined;
	const out: RecordEntry[] = [];
	if (spec.itemsPath !== undefined) {
		const items = getPath(parsed, spec.itemsPath);
		if (!Array.isArray(items)) return undefined;
		items.forEach((item, index) => {
			const ok = getPath(item, spec.successPath ?? 'success');
			const id = idString(getPath(item, spec.idPath ?? 'id'));
			if (ok === false || ok === 'false') out.push(failed(spec, index, id, item, item));
			else out.push({ verdict: { index, id, class: 'success', reason: 'ok' }, value: item });
		});
		return out;
	}
	const results = spec.resultsPath ? getPath(parsed, spec.resultsPath) : undefined;
	const errors = spec.errorsPath ? getPath(parsed, spec.errorsPath) : undefined;
	if (!Array.isArray(results) && !Array.isArray(errors)) return undefined;
	let index = 0;
	for (const r of Array.isArray(results) ? results : []) {
		out.push({ verdict: { index: index++, id: idString(getPath(r, spec.idPath ?? 'id')), class: 'success', reason: 'ok' }, value: r });
	}
	for (const e of Array.isArray(errors) ? errors : []) {
		out.push(failed(spec, index++, spec.errorIdPath ? idString(firstPath(e, spec.errorIdPath)) : undefined, e, e));
	}
	return out;
}

export function evaluateRecords(spec: RecordsSpec, parsed: unknown): RecordVerdict[] | undefined {
	return recordEntries(spec, parsed)?.map((e) => e.verdict);
}
