import type { KeySpace } from './types';

export const DEFAULT_KEY_PREFIX = 'resilience';
export const GLOBAL_NAMESPACE = 'global';

/** The namespace a node uses: its workflow by default, one shared space when the user chooses global. */
export function namespaceFor(scope: 'workflow' | 'global', workflowId?: string): string {
	return scope === 'global' || !workflowId ? GLOBAL_NAMESPACE : `wf:${workflowId}`;
}

/** Braces would break the one hash tag per key; they are replaced, not rejected, because keys come from URLs. */
const tagSafe = (s: string) => s.replace(/[{}]/g, (c) => (c === '{' ? '(' : ')'));

export function validateKeySpace(ks: KeySpace): KeySpace {
	if (!ks.prefix || /[{}\s]/.test(ks.prefix)) throw new Error(`Invalid key prefix "${ks.prefix}": no braces or spaces`);
	if (!ks.namespace) throw new Error('Namespace must not be empty');
	return { prefix: ks.prefix, namespace: tagSafe(ks.namespace) };
}

/**
 * `<prefix>:<namespace>:<concern>:{<id>}` plus optional suffixes: one hash tag per entity, so a script's
 * keys (state, events) share a cluster slot while different entities spread across slots.
 */
export function entityKey(ks: KeySpace, concern: string, id: string, suffix?: string): string {
	const base = `${ks.prefix}:${ks.namespace}:${concern}:{${tagSafe(id)}}`;
	return suffix ? `${base}:${suffix}` : base;
}
