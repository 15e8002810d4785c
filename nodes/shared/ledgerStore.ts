// Builds the idempotency ledger from node parameters and the Resilience Redis credential (embedded, Redis, or Redis with fallback).
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import {
	EmbeddedIdempotencyLedger,
	FallbackIdempotencyLedger,
	RedisIdempotencyLedger,
	ledgerNamespace,
	type IdempotencyLedger,
	type LedgerSnapshot,
} from '../../src/idempotency';
import { sharedRedisClient } from '../../src/store';
import { ConfigError } from './configError';
import { redisConnectionOf, redisState } from './redisState';
import type { StoreInfo, StoreSettings } from './stores';
import { messageOf } from './errors';

/** Key in the workflow's static data under which ledger snapshots live, one per namespace. */
export const LEDGER_STATIC_DATA_KEY = 'resilienceLedger';

export interface BuiltLedger {
	ledger: IdempotencyLedger;
	info(): StoreInfo;
	/** Writes the embedded snapshot into the workflow's static data (n8n saves it after non-manual runs). */
	persist(): void;
	explain(e: unknown): string;
}

/** `wf:<workflowId>` (default), or `global` / `global:<name>` for a named global scope. */
export function ledgerNamespaceOf(s: StoreSettings, workflowId: string | undefined): string {
	let problem = '';
	try {
		return s.scope === 'global' ? ledgerNamespace({ scope: 'global', name: s.globalName }) : ledgerNamespace({ scope: 'workflow', workflowId });
	} catch (e) {
		problem = (e as Error).message;
	}
	throw new ConfigError(s.scope === 'global' ? 'stateNamespace' : 'stateScope', problem);
}

function readSnapshot(data: IDataObject, namespace: string): LedgerSnapshot | undefined {
	const all = data[LEDGER_STATIC_DATA_KEY] as Record<string, LedgerSnapshot> | undefined;
	const snap = all && typeof all === 'object' ? all[namespace] : undefined;
	// n8n's static data is a proxy: hand the ledger plain JSON.
	return snap ? (JSON.parse(JSON.stringify(snap)) as LedgerSnapshot) : undefined;
}

export async function buildLedger(ctx: IExecuteFunctions, s: StoreSettings, ttlMs: number): Promise<BuiltLedger> {
	const workflowId = ctx.getWorkflow().id;
	const namespace = ledgerNamespaceOf(s, workflowId === undefined ? undefined : String(workflowId));
	// 'global' static data: claim and complete are different nodes of one workflow and must share one snapshot.
	const staticData = ctx.getWorkflowStaticData('global');
	const embedded = new EmbeddedIdempotencyLedger({ namespace, defaultTtlMs: ttlMs, initialState: readSnapshot(staticData, namespace) });
	const stateSaved = ctx.getMode() !== 'manual';
	const persist = () => {
		const prev = (staticData[LEDGER_STATIC_DATA_KEY] as IDataObject | undefined) ?? {};
		staticData[LEDGER_STATIC_DATA_KEY] = { ...prev, [namespace]: embedded.snapshot() as unknown as IDataObject };
	};
	if (s.backend === 'embedded') {
		return { ledger: embedded, info: () => ({ backend: 'embedded', namespace, stateSaved }), persist, explain: messageOf };
	}

	const conn = await redisConnectionOf((type) => ctx.getCredentials(type));
	const redis = new RedisIdempotencyLedger(sharedRedisClient(conn), { prefix: conn.keyPrefix, namespace, defaultTtlMs: ttlMs });
	const r = redisState<IdempotencyLedger>({
		settings: s,
		namespace,
		conn,
		what: 'The idempotency ledger',
		redis,
		withFallback: (onFallback) => new FallbackIdempotencyLedger(redis, embedded, { onFallback }),
		fallbackCost: 'so duplicates are caught only within it',
		stateSaved,
	});
	return { ledger: r.store, info: r.info, explain: r.explain, persist: () => (r.fellBack() ? persist() : undefined) };
}
