// What a replay emits and how a repeat failure finds its entry again: the `deadLetter` link on the item.
import type { DeadLetterEntry } from './types';

/**
 * The classes a scheduled replay takes by default: a resend alone can fix them (the endpoint was down or busy, a quota
 * reset, a token to refresh). Permanent ones fail the same way until the data is fixed; ambiguous writes may already be
 * applied, so they need a lookup first; conflicts and partial batches need the record's own handling.
 */
export const RESENDABLE_CLASSES: readonly string[] = ['transient', 'quota-wait', 'refresh-auth'];

/** The key a replayed item carries; Resilient HTTP / the Dead Letter Sink pass its `id` as `replayOf` on a repeat failure. */
export const DEAD_LETTER_LINK_KEY = 'deadLetter';

export interface DeadLetterLink {
	id: string;
	queue: string;
	replayCount: number;
	/** Why it was dead-lettered last time (class, reason), for routing or logging in the replay workflow. */
	class: string;
	reason: string;
	/** Item fields that were masked when stored (secret-named): restore them before sending, or they go out as "[redacted]". */
	redactedFields?: string[];
}

/** The json of a replayed item: the original item's fields plus the link (a non-object item sits under `data`). */
export function replayItemJson(e: DeadLetterEntry): Record<string, unknown> {
	const base = e.item && typeof e.item === 'object' && !Array.isArray(e.item) ? { ...(e.item as Record<string, unknown>) } : { data: e.item };
	const link: DeadLetterLink = { id: e.id, queue: e.queue, replayCount: e.replayCount, class: String(e.classification.class), reason: e.classification.reason };
	if (e.redactedItemFields?.length) link.redactedFields = [...e.redactedItemFields];
	return { ...base, [DEAD_LETTER_LINK_KEY]: link };
}

/** The entry id an item was replayed from, if it carries a well-formed link. */
export function replayLinkOf(json: unknown): string | undefined {
	const link = json && typeof json === 'object' ? (json as Record<string, unknown>)[DEAD_LETTER_LINK_KEY] : undefined;
	const id = link && typeof link === 'object' ? (link as Record<string, unknown>).id : undefined;
	return typeof id === 'string' && id !== '' ? id : undefined;
}
