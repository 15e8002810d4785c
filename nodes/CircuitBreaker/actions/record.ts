// Shared by the three record operations: reports how a protected call went; may trip, close or re-open the breaker.
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { BreakerOutcome } from '../../../src/breaker';
import { describeView, outcomeFromFields, outcomeFromItem } from '../../shared/breakerItem';
import { asConfigError } from '../../shared/errors';
import { eachItem, keyForItem, type OpContext } from './common';

export type RecordKind = 'recordSuccess' | 'recordFailure' | 'recordResult';

function outcomeFor(ctx: IExecuteFunctions, kind: RecordKind, i: number, input: IDataObject): BreakerOutcome & { why: string } {
	if (kind === 'recordSuccess') return { kind: 'success', why: 'recorded as success' };
	if (kind === 'recordFailure') return { kind: 'failure', why: 'recorded as failure' };
	try {
		if (ctx.getNodeParameter('resultFrom', i, 'item') === 'item') return outcomeFromItem(input);
		return outcomeFromFields(ctx.getNodeParameter('resultStatus', i, ''), ctx.getNodeParameter('resultIsError', i, false));
	} catch (e) {
		throw asConfigError(e, 'resultFrom');
	}
}

export async function executeRecord(ctx: IExecuteFunctions, o: OpContext, kind: RecordKind): Promise<INodeExecutionData[][]> {
	return await eachItem(ctx, 1, 0, o.built, async (i, input) => {
		const key = keyForItem(ctx, i);
		const { why, ...outcome } = outcomeFor(ctx, kind, i, input);
		const lease = (input.circuitBreaker as IDataObject | undefined)?.leaseId;
		if (typeof lease === 'string' && lease) outcome.leaseId = lease;
		const r = await o.built.store.record(key, outcome, o.policy);
		const breaker: IDataObject = { recorded: outcome.kind, why, counted: r.counted, ...describeView(r.view) };
		if (r.transition) breaker.transition = `${r.transition.from} → ${r.transition.to}: ${r.transition.reason}`;
		return { output: 0, breaker };
	});
}
