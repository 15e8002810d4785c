// Every example workflow uses only parameters our nodes declare (a typo would import fine and silently do nothing).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

// The .ts extension is explicit: a bare "….node" specifier resolves to a native addon.
import { CircuitBreaker } from '../../nodes/CircuitBreaker/CircuitBreaker.node.ts';
import { DeadLetterSink } from '../../nodes/DeadLetterSink/DeadLetterSink.node.ts';
import { DeadLetterTrigger } from '../../nodes/DeadLetterTrigger/DeadLetterTrigger.node.ts';
import { IdempotencyGuard } from '../../nodes/IdempotencyGuard/IdempotencyGuard.node.ts';
import { ResilientHttp } from '../../nodes/ResilientHttp/ResilientHttp.node.ts';

const ours: Record<string, INodeTypeDescription> = {};
for (const N of [ResilientHttp, CircuitBreaker, IdempotencyGuard, DeadLetterSink, DeadLetterTrigger]) {
	const d = new N().description;
	ours[`n8n-nodes-resilience.${d.name}`] = d;
}
const dir = join(__dirname, '..', '..', 'examples');

function unknownParameters(d: INodeTypeDescription, parameters: Record<string, unknown>): string[] {
	const bad: string[] = [];
	for (const [name, value] of Object.entries(parameters)) {
		if (name === 'pollTimes' && d.polling) continue;
		const props = d.properties.filter((p) => p.name === name);
		if (!props.length) bad.push(name);
		const collection = props.find((p) => p.type === 'collection') as INodeProperties | undefined;
		if (collection && value && typeof value === 'object') {
			const known = new Set((collection.options as INodeProperties[]).map((o) => o.name));
			for (const k of Object.keys(value)) if (!known.has(k)) bad.push(`${name}.${k}`);
		}
	}
	return bad;
}

describe('example workflows', () => {
	for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
		it(`${file}: our nodes use declared parameters and values`, () => {
			const wf = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { nodes: { name: string; type: string; parameters: Record<string, unknown> }[] };
			for (const n of wf.nodes.filter((x) => x.type in ours)) {
				const d = ours[n.type];
				assert.deepEqual(unknownParameters(d, n.parameters), [], `${file} → ${n.name}`);
				const op = n.parameters.operation;
				const ops = d.properties.find((p) => p.name === 'operation')?.options as { value: string }[] | undefined;
				if (op !== undefined && ops) assert.ok(ops.some((o) => o.value === op), `${n.name}: operation ${String(op)}`);
			}
		});
	}
	it('the dead-letter examples wire replay → Resilient HTTP → resolve, and a trigger into Slack and email', () => {
		const replay = JSON.parse(readFileSync(join(dir, 'dead-letter-replay.json'), 'utf8'));
		const ops = replay.nodes.filter((n: { type: string }) => n.type.endsWith('.deadLetterSink')).map((n: { parameters: { operation: string } }) => n.parameters.operation);
		assert.deepEqual(ops.sort(), ['discard', 'replay', 'resolve']);
		assert.equal(replay.connections['Upsert Contact (Replay)'].main[0][0].node, 'Resolve');
		const byName = (name: string) => replay.nodes.find((n: { name: string }) => n.name === name).parameters;
		assert.deepEqual(byName('Replay').replayClasses, ['transient', 'quota-wait', 'refresh-auth'], 'the scheduled replay resends only what a resend can fix');
		assert.deepEqual([byName('Discard Permanent After 7 Days').target, byName('Discard Permanent After 7 Days').classFilter], ['filter', 'permanent']);
		const alert = JSON.parse(readFileSync(join(dir, 'dead-letter-alert.json'), 'utf8'));
		assert.deepEqual(alert.nodes.map((n: { type: string }) => n.type.split('.').pop()).sort(), ['deadLetterTrigger', 'emailSend', 'if', 'slack']);
	});
});
