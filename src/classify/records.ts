// Per-record verdicts for batch responses that succeed as a whole but fail some records.
import type { RecordVerdict, RecordsSpec } from '../types';
import { errorMessageOf, getPath } from './jsonBody';

function idString(v: unknown): string | undefined {
	return v === undefined || v === null ? undefined : String(v);
}

export function evaluateRecords(spec: RecordsSpec, parsed: unknown): RecordVerdict[] | undefined {
	if (parsed === undefined) return undefined;
	const failedClass = spec.failedClass ?? 'permanent';
	const out: RecordVerdict[] = [];
	if (spec.itemsPath !== undefined) {
		const items = getPath(parsed, spec.itemsPath);
		if (!Array.isArray(items)) return undefined;
		items.forEach((item, index) => {
			const ok = getPath(item, spec.successPath ?? 'success');
			const id = idString(getPath(item, spec.idPath ?? 'id'));
			const failed = ok === false || ok === 'false';
			out.push({
				index,
				id,
				class: failed ? failedClass : 'success',
				reason: failed ? (errorMessageOf(getPath(item, 'errors')) ?? errorMessageOf(item) ?? 'record failed') : 'ok',
			});
		});
		return out;
	}
	const results = spec.resultsPath ? getPath(parsed, spec.resultsPath) : undefined;
	const errors = spec.errorsPath ? getPath(parsed, spec.errorsPath) : undefined;
	if (!Array.isArray(results) && !Array.isArray(errors)) return undefined;
	let index = 0;
	for (const r of Array.isArray(results) ? results : []) {
		out.push({ index: index++, id: idString(getPath(r, spec.idPath ?? 'id')), class: 'success', reason: 'ok' });
	}
	for (const e of Array.isArray(errors) ? errors : []) {
		out.push({
			index: index++,
			id: spec.errorIdPath ? idString(getPath(e, spec.errorIdPath)) : undefined,
			class: failedClass,
			reason: errorMessageOf(e) ?? 'record failed',
		});
	}
	return out;
}
