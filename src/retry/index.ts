export { executeWithRetry } from './executeWithRetry';
export { makeAttemptRecord, chooseHeaders, bodyExcerpt } from './attemptRecord';
