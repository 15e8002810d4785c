// Plays every flow file of the scenario fixtures against a scripted loopback server and checks its expectations.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Flow } from './flow-types';
import { checkFlow } from './checks';
import { existsSync } from 'node:fs';
import { playedBy } from './pending';
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

// Flows wait seconds on the real clock, so they run at once and each test awaits its own; the clock-sensitive
// ones run first, alone, so the others' start-up burst cannot bunch their requests.
type Played = Promise<{ run?: FlowRun; error?: unknown }>;
const played = new Map<string, Played>();
const play = (flow: Flow, after: Promise<unknown>): Played =>
	after.then(() => playFlow(flow)).then(
		(run) => ({ run }),
		(error: unknown) => ({ error }),
	);
const runnable = flows.filter((f) => !playedBy(f));
const ready = warmUp();
for (const f of runnable.filter(clockSensitive)) played.set(f.id, play(f, ready));
const firstWave = Promise.all([ready, ...played.values()]);
for (const f of runnable.filter((x) => !clockSensitive(x))) played.set(f.id, play(f, firstWave));

const root = join(__dirname, '..', '..');
for (const flow of flows) {
	const elsewhere = playedBy(flow);
	test(`${flow.id}: ${flow.title}${elsewhere ? ` (played by ${elsewhere})` : ''}`, async () => {
		if (elsewhere) {
			const file = join(root, elsewhere);
			assert.ok(existsSync(file), `${elsewhere} is missing`);
			assert.match(readFileSync(file, 'utf8'), new RegExp(`['"]${flow.id}['"]`), `${elsewhere} does not play ${flow.id}`);
			return;
		}
		const { run, error } = await played.get(flow.id)!;
		if (error) throw error;
		const failures = checkFlow(run!);
		assert.deepEqual(failures, [], `${flow.id} broke ${failures.length} expectation(s):\n  ${failures.join('\n  ')}`);
	});
}
