export {
	redactHeaders,
	redactUrl,
	redactDeep,
	redactText,
	scrubSecrets,
	secretValues,
	isSecretName,
	isSecretHeader,
	isHeadersKey,
	looksLikeToken,
	urlSecrets,
	maskPathSecrets,
	REDACTED,
	type RedactOptions,
} from './redact';
export { collectSecrets } from './collect';
