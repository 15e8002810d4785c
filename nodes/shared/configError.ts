// A bad node configuration, named by parameter, so errors.ts can turn it into NodeOperationError with the item index.
export class ConfigError extends Error {
	readonly isConfigError = true;

	constructor(
		readonly parameter: string,
		message: string,
	) {
		super(message);
		this.name = 'ConfigError';
	}
}

export function isConfigError(e: unknown): e is ConfigError {
	return typeof e === 'object' && e !== null && (e as { isConfigError?: unknown }).isConfigError === true;
}
