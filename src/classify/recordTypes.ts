// Batch answers that succeed as a whole but fail some records: where the records are, and each one's verdict.
import type { ResultClass } from '../types';

/** Per-record verdict inside a batch ("200 but failed"). */
export interface RecordVerdict {
	index: number;
	id?: string;
	class: ResultClass;
	reason: string;
	/** The record rule that classified a failed record (record.rate-limited, ...), absent for the default class. */
	rule?: string;
	/** For a transient or quota-wait record: how long until it is worth sending again, ms. */
	waitMs?: number;
}

/**
 * Classifies one failed record of a batch by its error: `code` (regex on the error's code fields: category,
 * errorCode, statusCode, code, type, extensions.code, errors[].statusCode...), `message` (regex on its message) or
 * `status` (its own HTTP status, "5xx" or "429"). A rule matches when any of its conditions holds.
 */
export interface RecordRule {
	id: string;
	match: { code?: string; message?: string; status?: string };
	class: ResultClass;
	waitMs?: number;
}

/** Where a batch response lists its per-record results. */
export interface RecordsSpec {
	/** HubSpot style: successes under resultsPath, failures under errorsPath. */
	resultsPath?: string;
	errorsPath?: string;
	/** Path inside one error to the id it names, e.g. "context.objectWriteTraceId.0"; "a|b" tries a, then b. */
	errorIdPath?: string;
	/** Salesforce collections style: array at itemsPath ("" = root), each with a boolean at successPath. */
	itemsPath?: string;
	successPath?: string;
	idPath?: string;
	failedClass?: ResultClass;
	/** Checked before the common record rules (recordRules.ts) for each failed record. */
	recordRules?: RecordRule[];
	/** Where the request body lists the records sent (HubSpot "inputs", Salesforce "records"), to hand a failed one back. */
	requestItemsPath?: string;
	/** Fields of a request entry that a failed record's id may equal (HubSpot objectWriteTraceId, id); else by index. */
	requestIdPaths?: string[];
	/** GraphQL: the part of the body that succeeded besides the listed errors ("data"). */
	remainderPath?: string;
}
