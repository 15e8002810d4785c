// Debug aid: plays the named flows and prints every request and item, e.g. `node --import tsx test/scenarios/play-one.ts B01 B14`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Flow } from './flow-types';
import { checkFlow } from './checks';
import { playFlow } from './player';

async function main(): Promise<void> {
	for (const id of process.argv.slice(2)) {
		const flow = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'scenarios', 'flows', `${id}.json`), 'utf8')) as Flow;
		const run = await playFlow(flow);
		const t = (x?: number) => (x === undefined ? '-' : String(x - run.start));
		console.log(`== ${id}: ${JSON.stringify(checkFlow(run), null, 1)}`);
		for (const r of run.server.requests)
			console.log(
				`  c${r.client} r${r.run} ${r.method} ${r.rawUrl} key=${r.headers['idempotency-key'] ?? '-'} arrived=${t(r.arrivedAt)} sent=${t(r.sentAt)} ended=${t(r.endedAt)} ${r.ending ?? ''} ${r.status ?? ''} ${r.effect ?? ''}`,
			);
		for (const i of run.items) {
			const attempts = i.result?.attempts.map((a) => `${a.status ?? a.errorCode} ${a.class} wait=${a.waitMs ?? '-'} (${a.reason})`);
			console.log(`  c${i.client} step ${i.stepIndex + 1}: ${i.outcome} settled=${t(i.settledAt)} retryAt=${t(i.result?.retryAt)}`);
			for (const a of attempts ?? []) console.log(`    ${a}`);
			if (i.result?.warnings.length) console.log(`    warnings: ${i.result.warnings.join(' | ')}`);
		}
	}
}

void main();
