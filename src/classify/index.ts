export { createClassifier, type Classifier } from './createClassifier';
export { classifyResponse, type ClassifierContext } from './classifyResponse';
export { classifyNetwork } from './classifyNetwork';
export { parseRetryAfter, parseRetryAfterMs, parseDuration, parseResetHeader } from './timeFormats';
export { renderRetryAt, nextMidnightIn, nextUtcMidnight, nextUtcMonthStart, nextMinuteBoundary } from './retryAtTemplates';
export { isSafeToRepeat, provesNotProcessed, IDEMPOTENT_METHODS } from './retrySafety';
export { safeParseJson, getPath } from './jsonBody';
export { readBudget, NON_CRITICAL_SHARE } from './budget';
