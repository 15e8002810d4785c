export { redactHeaders, redactUrl, redactDeep, redactText, scrubSecrets, secretValues, isSecretName, REDACTED } from './redact';
