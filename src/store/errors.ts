// A store that cannot be reached is a typed, flagged error so nodes choose "fail the items" or "fall back".

const FLAG = Symbol.for('n8n-nodes-resilience.StoreUnavailableError');

export class StoreUnavailableError extends Error {
	readonly [FLAG] = true;
	readonly store: string;
	constructor(store: string, message: string, options?: { cause?: unknown }) {
		super(`${store} is unreachable: ${message}`, options);
		this.name = 'StoreUnavailableError';
		this.store = store;
	}
}

/** Works across copies of this module (n8n may load the package twice). */
export function isStoreUnavailableError(e: unknown): e is StoreUnavailableError {
	return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[FLAG] === true;
}

/** Redis replies that mean "not serving right now" rather than "your command is wrong". */
const UNAVAILABLE_REPLIES = /^(LOADING|BUSY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|READONLY|NOREPLICAS)\b/;

/** Maps an ioredis failure to StoreUnavailableError when it is about reaching the server; other errors pass through. */
export function toRedisStoreError(e: unknown): unknown {
	if (isStoreUnavailableError(e)) return e;
	const err = e as { name?: string; message?: string };
	const message = String(err?.message ?? e);
	if (err?.name === 'ReplyError' && !UNAVAILABLE_REPLIES.test(message)) return e;
	return new StoreUnavailableError('Redis', message, { cause: e });
}
