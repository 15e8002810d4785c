// A full dead-letter queue is a visible, flagged error: a dead letter is never dropped silently.

const FLAG = Symbol.for('n8n-nodes-resilience.DeadLetterCapacityError');

export class DeadLetterCapacityError extends Error {
	readonly [FLAG] = true;
	readonly store: string;
	readonly queue: string;
	readonly limit: number;
	constructor(store: string, queue: string, limit: number, message: string) {
		super(message);
		this.name = 'DeadLetterCapacityError';
		this.store = store;
		this.queue = queue;
		this.limit = limit;
	}
}

/** Works across copies of this module (n8n may load the package twice). */
export function isDeadLetterCapacityError(e: unknown): e is DeadLetterCapacityError {
	return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[FLAG] === true;
}

export function queueFullError(store: string, queue: string, limit: number): DeadLetterCapacityError {
	return new DeadLetterCapacityError(
		store,
		queue,
		limit,
		`Dead-letter queue "${queue}" is full: ${store} keeps at most ${limit} entries per queue and all of them are still open ` +
			`(new or requeued). Resolve or discard entries, or use a backend that keeps more (per queue: static data 100, Redis 10,000, PostgreSQL 100,000); this entry was NOT stored.`,
	);
}
