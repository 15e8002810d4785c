// Redaction is the engine's; nodes re-export it so every output path goes through one set of rules.
export { redactDeep, redactHeaders, redactUrl } from '../../src';
