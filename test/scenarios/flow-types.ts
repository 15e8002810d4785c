// The shape of a flow file (scenario README §2), as far as the player reads it.

export type Count = number | { min?: number; max?: number };
export type Window = [number, number | null];

export interface MockResponse {
	status: number | null;
	headers?: Record<string, string>;
	body?: unknown;
	delayMs?: number;
	dropConnection?: boolean;
	effect?: string;
	repeat?: boolean;
}

export interface RuleMatch {
	method?: string;
	path?: string;
	query?: Record<string, string>;
	headers?: Record<string, string>;
	bodyContains?: string;
	atMs?: Window;
}

export interface ResponseRule {
	match: RuleMatch;
	responses: MockResponse[];
}

export interface Step {
	method: string;
	path: string | null;
	url?: string;
	body: unknown;
	headers?: Record<string, string>;
	idempotencyKey: null | 'auto' | 'derived';
	idempotent?: boolean;
	atMs?: number;
	phase?: string;
	forEach?: string;
	dedupeKey?: string;
	reconcile?: StepReconcile;
}

/** A step's lookup for when its write's outcome is unknown (README §2, Step). */
export interface StepReconcile {
	method: string;
	path: string;
	minIntervalMs: number;
	maxTries: number;
	foundWhen: { jsonPath: string; equals?: string | number | boolean | null; exists?: boolean };
	resultPath?: string;
}

export interface RequestCheck {
	match: RuleMatch;
	nth: number;
	headers?: Record<string, string>;
	bodyContains?: string;
	gapFromPreviousMatchMs?: Window;
}

export interface Expect {
	requests?: Count;
	requestsByPath?: Record<string, Count>;
	requestsByRun?: Record<string, Record<string, Count>>;
	outcome?: string;
	itemOutcomes?: string[];
	gapsMs?: Window[];
	deadLetters?: number;
	sideEffects?: Record<string, Count>;
	noDuplicateEffectsBy?: string;
	sameIdempotencyKeyAcrossAttempts?: boolean;
	settleWithinMs?: number;
	retryAtTemplate?: string;
	retryAtSlackMs?: number;
	requestChecks?: RequestCheck[];
	phases?: Record<string, unknown>;
	herd?: { firstRetrySpreadMinMs?: number; bucketMs?: number; maxFirstRetriesPerBucket?: number };
	outputs?: { success?: number; error?: number; successIds?: unknown[]; errorPairedItems?: number[] };
	records?: Record<string, number>;
	finalState?: Record<string, unknown>;
	deliveryResponses?: Record<string, unknown>;
	messagesContain?: string[];
	messagesNotContain?: string[];
	warningLogged?: boolean;
	notes?: string;
}

export interface Flow {
	id: string;
	variantOf?: string;
	title: string;
	kind?: string;
	preset: string;
	presetOptions?: Record<string, string>;
	policy?: Record<string, unknown>;
	auth?: Record<string, unknown>;
	server?: { honoursIdempotencyKey?: boolean };
	n8n?: Record<string, unknown>;
	runs?: Array<{ id: number | string; mode: string }>;
	clients?: number;
	steps: Step[];
	deliveries?: Array<Record<string, unknown>>;
	responses: MockResponse[];
	responseRules?: ResponseRule[];
	expect: Expect;
}
