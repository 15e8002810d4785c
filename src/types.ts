// The engine's shared vocabulary. Nothing in src/ imports n8n: nodes adapt n8n to these types.
import type { RecordVerdict, RecordsSpec } from './classify/recordTypes';

export type { RecordKey, RecordRule, RecordVerdict, RecordsSpec } from './classify/recordTypes';

/** What one response (or network failure) means for the item that caused it. */
export type ResultClass =
	| 'success'
	| 'transient'
	| 'permanent'
	| 'quota-wait'
	| 'refresh-auth'
	| 'conflict'
	| 'partial'
	| 'ambiguous';

/** Where an item ends after all its attempts. */
export type Outcome =
	| 'success'
	| 'failed-permanent'
	| 'failed-exhausted'
	| 'deferred'
	| 'ambiguous'
	| 'conflict'
	| 'partial'
	| 'circuit-open'
	| 'cancelled';

export type JitterMode = 'full' | 'equal' | 'additive' | 'decorrelated' | 'none';

/** A response as the engine sees it: header names lower-cased, body as raw text (may be empty or non-JSON). */
export interface ResponseSnapshot {
	status: number;
	headers: Record<string, string>;
	body: string;
}

/** A failure with no HTTP response. `requestSent` says whether the server may have received the request. */
export interface NetworkFailure {
	/** ECONNRESET, ECONNREFUSED, ETIMEDOUT, ECONNABORTED, ENOTFOUND, EAI_AGAIN, EPIPE, ERR_INVALID_URL, ... */
	code: string;
	message: string;
	/** true: bytes reached the server (reset or timeout after sending); false: provably not sent; 'unknown'. */
	requestSent: boolean | 'unknown';
}

export type AttemptResult =
	| { kind: 'response'; response: ResponseSnapshot }
	| { kind: 'network'; error: NetworkFailure };

/** The facts about the request that classification and retry safety depend on. */
export interface RequestFacts {
	method: string;
	url: string;
	/** Idempotency-Key (or the platform's header) value sent on every attempt, if any. */
	idempotencyKey?: string;
	/** false: the key is sent but the server is not known to honour it (no retry safety from it); default true. */
	keyHonoured?: boolean;
	/** The user declared this POST/PATCH safe to repeat. */
	declaredIdempotent?: boolean;
}

/** A rule matching a response; rules are plain data so presets and users can write them in JSON. */
export interface BodyRule {
	/** Stable id, e.g. "hubspot.daily-limit"; shown in attempt history. */
	id: string;
	description?: string;
	match: {
		/** Exact status, list of statuses, or a class like "4xx" / "5xx". Omitted = any status. */
		status?: number | number[] | string;
		/** Regular expression tested against the raw body (case-insensitive). */
		bodyRegex?: string;
		/** Dotted JSON path into the parsed body ("error.type", "errors.0.code", "[0].errorCode"). */
		jsonPath?: string;
		/** With jsonPath: equal to this value (string compare), one of these values, or simply present. */
		equals?: string | number | boolean;
		in?: Array<string | number | boolean>;
		exists?: boolean;
		/** Header values (name lower-case) that must match exactly, or a regex when wrapped in slashes. */
		headers?: Record<string, string>;
		/** Only for these methods (upper-case). */
		methods?: string[];
		/** Only when the request's URL path matches this regex (case-insensitive), e.g. "/batch/[a-z]+$". */
		pathRegex?: string;
	};
	class: ResultClass;
	/** For quota-wait: a template such as "{{nextUtcMidnight}}" or "{{nextMidnight:Europe/Berlin}}". */
	retryAtTemplate?: string;
	/** A fixed minimum wait for this rule (e.g. HubSpot 423: at least 2 s). */
	minWaitMs?: number;
	/** Named regex captures to extract from the raw body, e.g. { existingId: "Existing ID: (\\d+)" }. */
	extract?: Record<string, string>;
	/** How widely a wait applies: request, user, account, org. */
	scope?: 'request' | 'user' | 'account' | 'org';
	/** Whether this counts as a circuit-breaker failure (default: only transient 5xx/network). */
	breakerFailure?: boolean;
	/** A fixed server-side wait this rule implies (e.g. Apollo daily counter: 24 h). */
	waitMs?: number;
	/** Cap on retries for this failure (e.g. Salesforce UNKNOWN_EXCEPTION: 1). */
	maxRetries?: number;
	/** The response proves the server did not apply the request (row lock, rate limit): safe to retry any method. */
	notProcessed?: boolean;
	/** For class 'partial' (or a 2xx that may hide failures): where the per-record results are. */
	records?: RecordsSpec;
	/** Read the preset's reset headers for this rule even when the status is not 429. */
	useResetHeaders?: boolean;
}

/** The classifier's answer for one attempt. */
export interface Verdict {
	class: ResultClass;
	/** One line a GTM engineer understands: "HTTP 503 Service Unavailable: temporarily unavailable". */
	reason: string;
	/** The rule that decided, e.g. "status.5xx", "hubspot.ten-secondly", "network.ECONNRESET". */
	rule: string;
	/** A server-given wait (Retry-After, retry-after-ms, platform reset header, body hint), ms from now. */
	serverWaitMs?: number;
	/** Absolute epoch ms before which the next attempt must not happen (quota-wait). */
	retryAt?: number;
	breakerFailure: boolean;
	extract?: Record<string, string>;
	warnings: string[];
	scope?: 'request' | 'user' | 'account' | 'org';
	/** For class 'partial': the per-record results. */
	records?: RecordVerdict[];
	/** Where those records were read from, so a node can split the batch into one item per record. */
	recordsSpec?: RecordsSpec;
	/** For rules with a minimum wait. */
	minWaitMs?: number;
	/** Cap on retries for this kind of failure (e.g. Salesforce UNKNOWN_EXCEPTION: 1). */
	maxRetries?: number;
	/** What the response's rate-limit headers say about the remaining budget (absent headers = unknown, never zero). */
	budget?: RateBudget;
}

/** A rate budget read from response headers (Sforce-Limit-Info, X-HubSpot-RateLimit-Daily*, X-RateLimit-*). */
export interface RateBudget {
	known: boolean;
	used?: number;
	limit?: number;
	remaining?: number;
	/** Header family it was read from, e.g. "sforce-limit-info". */
	source?: string;
	/** Budget exhausted: stop sending until it resets. */
	pause: boolean;
	/** Budget nearly exhausted (≥ 95 % used): hold back non-critical traffic. */
	pauseNonCritical: boolean;
}

export interface RetryPolicy {
	/** Total attempts including the first. */
	maxAttempts: number;
	baseDelayMs: number;
	factor: number;
	/** Cap on one computed backoff wait. */
	maxDelayMs: number;
	/** Cap on the whole retry window, measured from the first attempt. */
	maxRetryWindowMs: number;
	/** Longest server-given wait slept in-process; longer → deferred. */
	maxServerWaitMs: number;
	jitter: JitterMode;
	/** Retry POST/PATCH after an ambiguous failure even without an idempotency key. */
	retryNonIdempotent: boolean;
	/** false: 5xx and network errors are not retried (429 etc. still are). */
	retryServerErrors: boolean;
	/** Per-attempt timeout. */
	timeoutMs: number;
	/** Statuses the user wants treated as transient (never overrides a body rule that says permanent; 400 stays permanent). */
	retryOnStatus?: number[];
	/** Statuses the user wants treated as permanent. */
	permanentStatus?: number[];
}

/** One attempt as recorded in the item's history (and later in its dead letter). */
export interface AttemptRecord {
	attempt: number;
	startedAt: string;
	endedAt: string;
	durationMs: number;
	status?: number;
	errorCode?: string;
	/** Only chosen headers (rate-limit, retry-after, request ids), never auth or cookies. */
	headers: Record<string, string>;
	/** First bytes of the body, capped. */
	bodyExcerpt: string;
	class: ResultClass;
	rule: string;
	reason: string;
	/** The wait chosen before the next attempt, if any. */
	waitMs?: number;
	warnings?: string[];
	/** true: a reconcile lookup (a read after an ambiguous write), not a send of the request itself. */
	lookup?: boolean;
}

/** Injected time, sleep and randomness: unit tests pass a fake clock and never sleep for real. */
export interface Clock {
	now(): number;
}
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;
export type Random = () => number;
export type Logger = (level: 'debug' | 'info' | 'warn' | 'error', message: string, meta?: Record<string, unknown>) => void;

// ---- Added by the engine: presets, execution contract ----

/** How a platform reset header encodes the time until the window reopens. */
export type ResetHeaderFormat =
	| 'epochSeconds'
	| 'epochMs'
	| 'relativeSeconds'
	| 'relativeMs'
	| 'duration'
	| 'rfc3339'
	| 'windowMs';

export interface ResetHeaderSpec {
	/** Lower-case header name, e.g. "x-ratelimit-reset". */
	header: string;
	format: ResetHeaderFormat;
	/** Only read on these statuses (default [429]). */
	statuses?: number[];
}

/** A request pattern the platform documents as safe to repeat (absolute update, natural-key upsert, read-only query). */
export interface IdempotentRoute {
	method: string;
	/** Regex tested against the URL path; omitted = any path. */
	pathRegex?: string;
}

/** A platform preset: policy values, body rules and header knowledge, all plain data. */
export interface Preset {
	name: string;
	title: string;
	/** Where the values come from (platform-facts.md section, vendor doc). */
	source: string;
	policy: Partial<RetryPolicy>;
	rules: BodyRule[];
	/** Header carrying the idempotency key on writes, if the platform honours one. */
	idempotencyHeader?: string;
	resetHeaders?: ResetHeaderSpec[];
	/** Regex whose first group is a duration string in the body ("try again in 644ms"). */
	bodyWaitHint?: string;
	/** Requests that are safe to repeat on this platform even though the method is POST/PATCH. */
	idempotentRoutes?: IdempotentRoute[];
	/** Extra response headers worth keeping in attempt records. */
	recordHeaders?: string[];
	/** Options the preset understands (e.g. accountTimeZone), for UIs. */
	options?: Array<{ name: string; description: string }>;
}

export interface ExecuteOptions {
	request: RequestFacts;
	policy: RetryPolicy;
	classify: (r: AttemptResult, req: RequestFacts, now: number) => Verdict;
	/** Never throws for HTTP statuses; a throw is mapped with toNetworkFailure. */
	send: (attempt: number, signal?: AbortSignal) => Promise<AttemptResult>;
	clock: Clock;
	sleep: Sleep;
	random: Random;
	log?: Logger;
	signal?: AbortSignal;
	/** refresh-auth verdict: refresh once and retry once; the same verdict again is permanent. */
	refreshAuth?: () => Promise<boolean>;
	/** Extra header names to keep in attempt records (besides the built-in rate-limit/request-id set). */
	recordHeaders?: string[];
	/** Cap on the body excerpt kept per attempt (default 500 characters). */
	bodyExcerptChars?: number;
	/** Before every attempt (circuit breaker, rate limiter): stop the item without sending, or wait first. */
	beforeAttempt?: (attempt: number) => Promise<AttemptGate | void> | AttemptGate | void;
	/** After every attempt is classified and recorded (breaker bookkeeping, metrics). */
	onAttempt?: (record: AttemptRecord, verdict: Verdict, result: AttemptResult) => Promise<void> | void;
	/** An ambiguous write is not resent: this lookup decides whether it was applied. */
	reconcile?: ReconcileOptions;
}

/** A read that tells whether an ambiguous write was applied (a flow step's `reconcile`). */
export interface ReconcileOptions {
	/** Sends lookup n (1-based); never throws for HTTP statuses, a throw counts as a failed lookup. */
	send: (lookup: number, signal?: AbortSignal) => Promise<AttemptResult>;
	/** A 2xx JSON body matches when the value at jsonPath equals `equals` (string compare), or exists (default) / is absent. */
	foundWhen: { jsonPath: string; equals?: string | number | boolean | null; exists?: boolean };
	/** Where the result is in the matching body ($.a.b[0].c); omitted = the whole parsed body. */
	resultPath?: string;
	/** At most one lookup per this many ms (start to start); the first runs at once. */
	minIntervalMs: number;
	maxTries: number;
	/** Send the write again when every lookup answered and none found it (an attempt of maxAttempts); default: flag ambiguous. */
	resendWhenNotFound?: boolean;
}

/** A gate's answer before an attempt: end the item now (e.g. circuit-open), or wait this long and then send. */
export type AttemptGate = { stop: Outcome; reason: string; retryAt?: number } | { waitMs: number };

export interface ExecutionResult {
	outcome: Outcome;
	verdict?: Verdict;
	last?: AttemptResult;
	attempts: AttemptRecord[];
	/** Epoch ms: for deferred items, the earliest moment a new try makes sense. */
	retryAt?: number;
	warnings: string[];
	ambiguous?: boolean;
	/** Cancelled while a request was out: the server may have applied it. */
	inFlight?: boolean;
	/** An ambiguous write a lookup proved applied: how many lookups it took and what it found. */
	reconciled?: { tries: number; result: unknown };
}
