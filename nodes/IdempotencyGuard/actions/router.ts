// Builds the ledger once per execution, dispatches by operation, then saves the embedded snapshot.
import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { ConfigError } from '../../shared/configError';
import { buildLedger, type BuiltLedger } from '../../shared/ledgerStore';
import { parseStoreSettings } from '../../shared/stores';
import * as check from './check.operation';
import * as claim from './claim.operation';
import { eachItem, errorMessage, type OpContext } from './common';
import * as complete from './complete.operation';
import { DEFAULT_FIELD, OPTIONS_PARAMETER, type GuardOptions } from './options.properties';
import * as release from './release.operation';

const HOUR = 3_600_000;
const MINUTE = 60_000;

function positive(v: unknown, fallback: number, parameter: string, unit: number): number {
	const n = v === undefined || v === '' ? fallback : Number(v);
	if (!Number.isFinite(n) || n <= 0) throw new ConfigError(parameter, `${String(v)} is not a positive number`);
	return Math.round(n * unit);
}

export function parseGuardOptions(raw: GuardOptions, optionsName: string) {
	const field = String(raw.outputField ?? DEFAULT_FIELD).trim();
	if (!/^[\w$-]{1,100}$/.test(field)) throw new ConfigError(`${optionsName}.outputField`, `"${field}" is not a plain field name`);
	return {
		ttlMs: positive(raw.ttlHours, 24, `${optionsName}.ttlHours`, HOUR),
		leaseMs: positive(raw.leaseMinutes, 5, `${optionsName}.leaseMinutes`, MINUTE),
		field,
		fingerprintFields: String(raw.fingerprintFields ?? ''),
	};
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0, 'claim') as string;
	const optionsName = OPTIONS_PARAMETER[operation];
	if (!optionsName) throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	const outputs = operation === 'claim' ? 3 : 1;
	if (this.getInputData().length === 0) return Array.from({ length: outputs }, () => []);

	let o: OpContext;
	let fingerprintFields = '';
	let field = DEFAULT_FIELD;
	try {
		const opts = parseGuardOptions(this.getNodeParameter(optionsName, 0, {}) as GuardOptions, optionsName);
		field = opts.field;
		fingerprintFields = opts.fingerprintFields;
		const settings = parseStoreSettings({
			backend: this.getNodeParameter('stateBackend', 0, 'embedded'),
			scope: this.getNodeParameter('stateScope', 0, 'workflow'),
			globalName: this.getNodeParameter('stateNamespace', 0, ''),
			onUnreachable: this.getNodeParameter('onStoreUnreachable', 0, 'fail'),
		});
		o = { built: await buildLedger(this, settings, opts.ttlMs), ttlMs: opts.ttlMs, leaseMs: opts.leaseMs, field };
	} catch (e) {
		// Without a ledger no item can be answered: each one fails (continue-on-fail) or the node stops.
		const message = errorMessage(e, undefined, 0);
		const node = this.getNode();
		return await eachItem(this, { outputs, errorOutput: outputs - 1, built: undefined as BuiltLedger | undefined, field }, async (i) => {
			throw new NodeOperationError(node, message, { itemIndex: i });
		});
	}
	const result =
		operation === 'claim'
			? await claim.execute(this, o, fingerprintFields)
			: operation === 'complete'
				? await complete.execute(this, o)
				: operation === 'release'
					? await release.execute(this, o)
					: await check.execute(this, o);
	o.built.persist();
	const info = o.built.info();
	if (info.warning) this.addExecutionHints({ message: info.warning, type: 'warning', location: 'outputPane' });
	const rejected = result.flat().filter((it) => (it.json[field] as { status?: string } | undefined)?.status === 'rejected').length;
	if (rejected > 0) {
		this.addExecutionHints({
			message: `${rejected} item(s) could not be ${operation === 'complete' ? 'completed' : 'released'}: their claim was no longer theirs (see ${field}.warning)`,
			type: 'warning',
			location: 'outputPane',
		});
	}
	if (info.stateSaved === false) {
		this.addExecutionHints({
			message: 'Manual run: n8n does not save static data, so embedded idempotency keys from this run live only in memory until n8n restarts',
			type: 'info',
			location: 'outputPane',
		});
	}
	return result;
}
