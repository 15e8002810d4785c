// Maps configuration problems to NodeOperationError with the item index; remote failures never reach here (they go to Failed).
import { NodeOperationError, type IDataObject, type INode, type INodeExecutionData } from 'n8n-workflow';

import { ConfigError, isConfigError } from './configError';

/** What an error says, whatever was thrown. */
export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

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

/** One item's failure in a node that handles items one by one, naming the parameter to fix when it is one. */
export function itemFailure(node: INode, e: unknown, message: string, itemIndex: number, nodeLabel: string): NodeOperationError {
	return new NodeOperationError(node, message, {
		itemIndex,
		description: isConfigError(e) ? `Fix the "${e.parameter}" parameter of the ${nodeLabel} node.` : undefined,
	});
}

/**
 * A failed item under continue-on-fail. With "Continue (using error output)" n8n moves an item to the error output
 * only when its json is just {error} (then it merges the input item's fields back in, as for its own nodes); with
 * "Continue (using regular output)" the item keeps the node's facts and leaves on the node's own error-ish output.
 */
export function continuedItem(node: INode, json: IDataObject, message: string, itemIndex: number): INodeExecutionData {
	if (node.onError === 'continueErrorOutput') return { json: { error: message }, pairedItem: { item: itemIndex } };
	return { json: { ...json, error: message }, pairedItem: { item: itemIndex } };
}

/** Anything thrown while reading an item's parameters becomes a ConfigError naming the parameter. */
export function asConfigError(e: unknown, parameter: string): ConfigError {
	if (isConfigError(e)) return e;
	return new ConfigError(parameter, messageOf(e));
}
