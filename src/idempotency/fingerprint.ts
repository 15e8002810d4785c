import { createHash, randomUUID } from 'node:crypto';

/**
 * JSON with object keys sorted (by UTF-16 code units, as RFC 8785 does) at every depth, so the same data
 * always gives the same text whatever order its keys were built in. Values JSON cannot hold follow
 * JSON.stringify (undefined and functions dropped from objects, null in arrays; NaN/Infinity → null);
 * a bigint becomes its decimal string; a cycle is an error.
 */
export function canonicalJson(value: unknown): string {
	return write(value, new Set()) ?? 'null';
}

function write(v: unknown, seen: Set<object>): string | undefined {
	if (v === null) return 'null';
	if (typeof v === 'bigint') return JSON.stringify(v.toString());
	if (typeof v !== 'object') return JSON.stringify(v);
	const withJson = v as { toJSON?: () => unknown };
	if (typeof withJson.toJSON === 'function') return write(withJson.toJSON(), seen);
	if (seen.has(v)) throw new Error('Cannot fingerprint a value that contains a cycle');
	seen.add(v);
	let out: string;
	if (Array.isArray(v)) {
		out = `[${v.map((x) => write(x, seen) ?? 'null').join(',')}]`;
	} else {
		const parts: string[] = [];
		for (const k of Object.keys(v).sort()) {
			const s = write((v as Record<string, unknown>)[k], seen);
			if (s !== undefined) parts.push(`${JSON.stringify(k)}:${s}`);
		}
		out = `{${parts.join(',')}}`;
	}
	seen.delete(v);
	return out;
}

/** sha256 (hex) of the payload's canonical JSON: equal payloads, equal fingerprints, whatever the key order. */
export function fingerprint(payload: unknown): string {
	return createHash('sha256').update(canonicalJson(payload), 'utf8').digest('hex');
}

/** Reads a dotted path ("contact.email", "items.0.id") from plain data. */
export function readPath(data: unknown, path: string): unknown {
	let cur: unknown = data;
	for (const part of path.split('.')) {
		if (cur === null || typeof cur !== 'object') return undefined;
		cur = (cur as Record<string, unknown>)[part];
	}
	return cur;
}

export interface DeriveKeyOptions {
	/** Put in front of the hash, e.g. a step name: "crm-upsert:3f2a…". */
	prefix?: string;
	/** Whether a missing field may count as null; by default it is an error, since items missing it would share a key. */
	allowMissing?: boolean;
}

/**
 * A stable key from chosen fields of an item: the fingerprint of `{ field: value }` for those fields, so the
 * same business identity (email + campaign, event id…) gives the same key in every run and on every worker.
 */
export function deriveKey(item: unknown, fields: string[], o: DeriveKeyOptions = {}): string {
	const names = [...new Set(fields.map((f) => f.trim()).filter(Boolean))];
	if (names.length === 0) throw new Error('Choose at least one field to derive the idempotency key from');
	const picked: Record<string, unknown> = {};
	const missing: string[] = [];
	for (const f of names) {
		const v = readPath(item, f);
		if (v === undefined || v === null || v === '') missing.push(f);
		picked[f] = v === undefined ? null : v;
	}
	if (missing.length > 0 && !o.allowMissing) {
		throw new Error(`Cannot derive an idempotency key: the item has no value for ${missing.map((m) => `"${m}"`).join(', ')}`);
	}
	const hash = fingerprint(picked);
	return o.prefix ? `${o.prefix}:${hash}` : hash;
}

/** A fresh owner token for one claimant (an execution's item, a worker's job). */
export function newOwnerToken(label?: string): string {
	return label ? `${label}:${randomUUID()}` : randomUUID();
}
