// Maps configuration problems to NodeOperationError with the item index; remote failures never reach here (they go to Failed).
import { NodeOperationError, type INode } from 'n8n-workflow';

import { ConfigError, isConfigError } from './configError';

export function configMessage(e: ConfigError, itemIndex: number): string {
	return `Parameter "${e.parameter}" (item ${itemIndex}): ${e.message}`;
}

export function toNodeOperationError(node: INode, e: unknown, itemIndex: number): NodeOperationError {
	if (isConfigError(e)) {
		return new NodeOperationError(node, configMessage(e, itemIndex), {
			itemIndex,
			description: `Fix the "${e.parameter}" parameter of the Resilient HTTP node.`,
		});
	}
	return new NodeOperationError(node, e instanceof Error ? e : new Error(String(e)), { itemIndex });
}

/** Anything thrown while reading an item's parameters becomes a ConfigError naming the parameter. */
export function asConfigError(e: unknown, parameter: string): ConfigError {
	if (isConfigError(e)) return e;
	return new ConfigError(parameter, e instanceof Error ? e.message : String(e));
}
