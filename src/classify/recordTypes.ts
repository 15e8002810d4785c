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

/** One way an out-of-order answer names a record: the value at `answer` in an answer entry equals the one at `sent`. */
export interface RecordKey {
	/** Path in a result or error; an array value names several records; "{idProperty}" is the record's id property. */
	answer: string;
	/** Path in the record the request sent. */
	sent: string;
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
	/** Fields of a sent record that name it in a report (HubSpot objectWriteTraceId, id, email), first present wins. */
	requestIdPaths?: string[];
	/** Out-of-order answers (resultsPath/errorsPath): how a result, and an error, names the sent record it is about, tried in order. */
	resultKeys?: RecordKey[];
	errorKeys?: RecordKey[];
	/** Where the request says which property its ids are values of: in each sent record, else at the body's top level. */
	idPropertyPath?: string;
	/** GraphQL: the part of the body that succeeded besides the listed errors ("data"). */
	remainderPath?: string;
}
