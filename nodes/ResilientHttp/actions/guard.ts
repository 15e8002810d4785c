// Resilient HTTP's idempotency guard for one execution: one ledger (same backend settings as the breaker), one claim per item.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { newOwnerToken } from '../../../src/idempotency';
import type { ExecutionResult, RetryPolicy } from '../../../src/types';
import { guardLeaseMs, requestFingerprint, runGuardedItem, type GuardedItem } from '../../shared/idempotencyGuard';
import { buildLedger, type BuiltLedger } from '../../shared/ledgerStore';
import { ConfigError } from '../../shared/configError';
import { parseStoreSettings } from '../../shared/stores';

export interface ItemGuardRequest {
	key: string;
	method: string;
	url: string;
	body?: string;
	policy: Pick<RetryPolicy, 'maxRetryWindowMs' | 'timeoutMs'>;
	treatConflictAsResolved: boolean;
}

export interface Guard {
	run(i: number, req: ItemGuardRequest, send: () => Promise<ExecutionResult>): Promise<GuardedItem>;
	/** Where the ledger lives (and whether Redis was skipped), for Failed items' resilience.idempotency. */
	info(): IDataObject;
	/** Saves embedded state and tells the user about a fallback. */
	close(): void;
}

export function parseTtlHours(v: unknown): number {
	const h = Number(v ?? 24);
	if (!Number.isFinite(h) || h <= 0) throw new ConfigError('idempotencyTtlHours', 'Remember Results For must be a number of hours above 0');
	return Math.round(h * 3_600_000);
}

export async function openGuard(ctx: IExecuteFunctions): Promise<Guard> {
	const settings = parseStoreSettings({
		backend: ctx.getNodeParameter('stateBackend', 0, 'embedded'),
		scope: ctx.getNodeParameter('stateScope', 0, 'workflow'),
		globalName: ctx.getNodeParameter('stateNamespace', 0, ''),
		onUnreachable: ctx.getNodeParameter('onStoreUnreachable', 0, 'fail'),
	});
	const ttlMs = parseTtlHours(ctx.getNodeParameter('idempotencyTtlHours', 0, 24));
	const built: BuiltLedger = await buildLedger(ctx, settings, ttlMs);
	const execution = String(ctx.getExecutionId?.() ?? 'run');
	return {
		run: async (i, req, send) =>
			await runGuardedItem({
				ledger: built.ledger,
				key: req.key,
				owner: newOwnerToken(`${execution}:${i}`),
				fingerprint: requestFingerprint(req.method, req.url, req.body),
				leaseMs: guardLeaseMs(req.policy),
				ttlMs,
				treatConflictAsResolved: req.treatConflictAsResolved,
				run: send,
				explain: built.explain,
			}),
		info: () => built.info(),
		close() {
			built.persist();
			const info = built.info();
			if (info.warning) ctx.addExecutionHints({ message: info.warning, type: 'warning', location: 'outputPane' });
		},
	};
}
