// Plays every flow file of the scenario fixtures against a scripted loopback server and checks its expectations.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Flow } from './flow-types';
import { checkFlow } from './checks';
import { pendingReason } from './pending';
import { playFlow, type FlowRun } from './player';

const dir = join(__dirname, '..', 'fixtures', 'scenarios', 'flows');
const only = process.env.SCENARIO ? new Set(process.env.SCENARIO.split(',')) : undefined;
const flows: Flow[] = readdirSync(dir)
	.filter((f) => f.endsWith('.json'))
	.sort()
	.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Flow)
	.filter((f) => !only || only.has(f.id));

// Flows wait seconds on the real clock, so all of them start now and each test awaits its own.
const played = new Map<string, Promise<{ run?: FlowRun; error?: unknown }>>();
for (const flow of flows)
	if (!pendingReason(flow))
		played.set(
			flow.id,
			playFlow(flow).then(
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
