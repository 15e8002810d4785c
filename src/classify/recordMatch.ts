// Ties a batch answer to the records the request sent, so each record sent is accounted for exactly once: by position
// where the platform answers in order (Salesforce collections), by the id, email or trace id an answer entry names
// where it does not (HubSpot results and errors). What the answer leaves out is reported, never guessed.
import type { RecordKey, RecordsSpec } from '../types';
import { getPath } from './jsonBody';
import type { RecordEntry } from './records';

export type MatchedBy = 'position' | 'key' | 'elimination';

export interface RecordMatch {
	/** Position of the record in the request's list. */
	index: number;
	/** What the request listed for it. */
	sent: unknown;
	/** The answer's entry for it: absent when the answer does not account for this record. */
	entry?: RecordEntry;
	matchedBy?: MatchedBy;
	/** The value that tied the entry to the record (trace id, id, email). */
	key?: string;
	/** Further errors the answer lists for this record, after the first. */
	moreErrors?: RecordEntry[];
	/** A result the answer also lists for this record, although an error names it too. */
	contradicts?: RecordEntry;
}

export interface StrayEntry extends RecordEntry {
	/** The values it names that match no record sent (empty: it names none at all). */
	names: string[];
	/** A result naming a record another result already stands for: a duplicate, never a stand-in for another record. */
	namesTaken?: boolean;
}

export interface Reconciled {
	records: RecordMatch[];
	/** Answer entries tied to no record sent: errors without context, ids nobody sent, entries past the end. */
	stray: StrayEntry[];
}

const norm = (v: unknown) => String(v).trim().toLowerCase();

/** The scalar values at a path; an array holds one value per element. */
function valuesAt(value: unknown, path: string): string[] {
	const v = getPath(value, path);
	const list = Array.isArray(v) ? v : [v];
	return list.filter((x) => x !== undefined && x !== null && x !== '' && typeof x !== 'object').map(norm);
}

interface ConcreteKey {
	answer: string;
	sent: string;
	/** Only records whose id property is this one ("{idProperty}" replaced). */
	idProperty?: string;
}

function concreteKeys(keys: RecordKey[], idProps: string[]): ConcreteKey[] {
	return keys.flatMap((k) => (k.answer.includes('{idProperty}') ? idProps.map((p) => ({ answer: k.answer.replace('{idProperty}', p), sent: k.sent, idProperty: p })) : [k]));
}

/** For one key: which records sent carry each value. */
function indexSent(keys: ConcreteKey[], sent: unknown[], idPropOf: (i: number) => string | undefined): Array<Map<string, number[]>> {
	return keys.map((k) => {
		const map = new Map<string, number[]>();
		sent.forEach((s, i) => {
			if (k.idProperty !== undefined && idPropOf(i) !== k.idProperty) return;
			for (const v of valuesAt(s, k.sent)) map.set(v, [...(map.get(v) ?? []), i]);
		});
		return map;
	});
}

function byPosition(entries: RecordEntry[], sent: unknown[]): Reconciled {
	const records: RecordMatch[] = sent.map((s, index) => (index < entries.length ? { index, sent: s, entry: entries[index], matchedBy: 'position' } : { index, sent: s }));
	return { records, stray: entries.slice(sent.length).map((e) => ({ ...e, names: [] })) };
}

function byKey(spec: RecordsSpec, entries: RecordEntry[], sent: unknown[], body: unknown): Reconciled {
	const idPropOf = (i: number): string | undefined => {
		if (!spec.idPropertyPath) return undefined;
		const p = getPath(sent[i], spec.idPropertyPath) ?? getPath(body, spec.idPropertyPath);
		return typeof p === 'string' && p.trim() ? p.trim() : undefined;
	};
	const idProps = [...new Set(sent.map((_, i) => idPropOf(i)).filter((p): p is string => p !== undefined))];
	const resultKeys = concreteKeys(spec.resultKeys ?? [{ answer: spec.idPath ?? 'id', sent: 'id' }], idProps);
	const errorKeys = concreteKeys(spec.errorKeys ?? [], idProps);
	const resultIndex = indexSent(resultKeys, sent, idPropOf);
	const errorIndex = indexSent(errorKeys, sent, idPropOf);
	const records: RecordMatch[] = sent.map((s, index) => ({ index, sent: s }));
	const stray: StrayEntry[] = [];
	const results = entries.filter((e) => e.verdict.class === 'success');
	const errors = entries.filter((e) => e.verdict.class !== 'success');

	// A result stands for one record: the first key that names a record no other result took.
	const freeRecord = (e: RecordEntry, names: string[]): { i: number; key: string } | 'taken' | undefined => {
		let taken = false;
		for (let n = 0; n < resultKeys.length; n++) {
			for (const v of valuesAt(e.value, resultKeys[n].answer)) {
				names.push(v);
				const named = resultIndex[n].get(v) ?? [];
				const i = named.find((c) => records[c].entry === undefined);
				if (i !== undefined) return { i, key: v };
				taken ||= named.length > 0;
			}
		}
		return taken ? 'taken' : undefined;
	};
	for (const e of results) {
		const names: string[] = [];
		const hit = freeRecord(e, names);
		if (hit && hit !== 'taken') Object.assign(records[hit.i], { entry: e, matchedBy: 'key', key: hit.key });
		else stray.push({ ...e, names: [...new Set(names)], ...(hit === 'taken' ? { namesTaken: true } : {}) });
	}
	// An error may name several records (HubSpot lists ids in context); each of them failed with it.
	for (const e of errors) {
		const names: string[] = [];
		const hits = new Map<number, string>();
		errorKeys.forEach((k, n) => {
			for (const v of valuesAt(e.value, k.answer)) {
				names.push(v);
				for (const i of errorIndex[n].get(v) ?? []) if (!hits.has(i)) hits.set(i, v);
			}
		});
		if (hits.size === 0) stray.push({ ...e, names: [...new Set(names)] });
		for (const [i, key] of hits) {
			const r = records[i];
			if (r.entry?.verdict.class === 'success') Object.assign(r, { contradicts: r.entry, entry: e, matchedBy: 'key', key });
			else if (r.entry) r.moreErrors = [...(r.moreErrors ?? []), e];
			else Object.assign(r, { entry: e, matchedBy: 'key', key });
		}
	}
	return eliminate(records, stray);
}

/**
 * What the keys left over, settled only where nothing else is possible: as many results as records left (none of them
 * a second answer for a record already answered) means those records were saved, whichever result is whose; one record
 * left and one error that names nothing is that record's error. Anything else stays unmatched and is reported as such.
 */
function eliminate(records: RecordMatch[], stray: StrayEntry[]): Reconciled {
	const open = records.filter((r) => r.entry === undefined);
	if (open.length === 0 || stray.length !== open.length) return { records, stray };
	const allResults = stray.every((e) => e.verdict.class === 'success' && !e.namesTaken);
	const oneBareError = open.length === 1 && stray[0].verdict.class !== 'success' && stray[0].names.length === 0;
	if (!allResults && !oneBareError) return { records, stray };
	open.forEach((r, n) => Object.assign(r, { entry: { verdict: stray[n].verdict, value: stray[n].value }, matchedBy: 'elimination' }));
	return { records, stray: [] };
}

/** Each record sent with the answer's entry for it, and the entries tied to none. */
export function reconcileRecords(spec: RecordsSpec, entries: RecordEntry[], sent: unknown[], body?: unknown): Reconciled {
	return spec.itemsPath !== undefined ? byPosition(entries, sent) : byKey(spec, entries, sent, body);
}

/** The name a report gives a record sent: the first of the spec's id fields it has. */
export function sentName(spec: RecordsSpec, sent: unknown): string | undefined {
	for (const p of spec.requestIdPaths ?? ['id']) {
		const v = getPath(sent, p);
		if (v !== undefined && v !== null && v !== '' && typeof v !== 'object') return String(v);
	}
	return undefined;
}
