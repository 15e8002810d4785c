// Plays every flow file of the scenario fixtures against a scripted loopback server and checks its expectations.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Flow } from './flow-types';
import { checkFlow } from './checks';
import { pendingReason } from './pending';
import { playFlow, warmUp, type FlowRun } from './player';

const dir = join(__dirname, '..', 'fixtures', 'scenarios', 'flows');
const only = process.env.SCENARIO ? new Set(process.env.SCENARIO.split(',')) : undefined;
const flows: Flow[] = readdirSync(dir)
	.filter((f) => f.endsWith('.json'))
	.sort()
	.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Flow)
	.filter((f) => !only || only.has(f.id));

/** Flows whose script depends on absolute time since S (or on many clients at once) are sensitive to CPU contention. */
const clockSensitive = (f: Flow) =>
	(f.clients ?? 1) > 1 || f.steps.some((s) => s.atMs !== undefined) || (f.responseRules ?? []).some((r) => r.match.atMs);

// Flows wait seconds on the real clock, so all of them run at once and each test awaits its own; the
// clock-sensitive ones get the first 1.5 s to themselves.
const played = new Map<string, Promise<{ run?: FlowRun; error?: unknown }>>();
const ready = warmUp();
const later = ready.then(() => new Promise((r) => setTimeout(r, flows.some(clockSensitive) ? 1500 : 0)));
for (const flow of flows)
	if (!pendingReason(flow))
		played.set(
			flow.id,
			(clockSensitive(flow) ? ready : later)
				.then(() => playFlow(flow))
				.then(
					(run) => ({ run }),
					(error: unknown) => ({ error }),
				),
		);

for (const flow of flows) {
	const todo = pendingReason(flow);
	test(`${flow.id}: ${flow.title}`, todo ? { todo } : {}, async () => {
		if (todo) return;
		const { run, error } = await played.get(flow.id)!;
		if (error) throw error;
		const failures = checkFlow(run!);
		assert.deepEqual(failures, [], `${flow.id} broke ${failures.length} expectation(s):\n  ${failures.join('\n  ')}`);
	});
}
