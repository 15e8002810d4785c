import { GLOBAL_NAMESPACE, namespaceFor } from '../store/keys';

/** workflow: keys of one workflow only (default); global: one space shared by every workflow that names it. */
export interface LedgerScope {
	scope: 'workflow' | 'global';
	workflowId?: string;
	/** For the global scope: a name such as "stripe-events", so unrelated workflows do not share keys by accident. */
	name?: string;
}

/** The ledger namespace: `wf:<workflowId>`, `global`, or `global:<name>`. */
export function ledgerNamespace(s: LedgerScope): string {
	if (s.scope === 'workflow') {
		if (!s.workflowId) throw new Error('The workflow scope needs the workflow id (save the workflow first)');
		return namespaceFor('workflow', s.workflowId);
	}
	const name = (s.name ?? '').trim();
	if (!name) return GLOBAL_NAMESPACE;
	if (!/^[\w.-]{1,100}$/.test(name)) throw new Error(`Scope name "${name}" may hold only letters, digits, "_", "-" and "." (at most 100)`);
	return `${GLOBAL_NAMESPACE}:${name}`;
}
