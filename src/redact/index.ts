export { redactHeaders, redactUrl, redactDeep, redactText, isSecretName, REDACTED } from './redact';
