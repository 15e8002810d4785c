export { parseJsonPath, readJsonPath } from './jsonPath';
export { runReconcile, matchesFoundWhen, type ReconcileOutcome } from './runReconcile';
