// A fake clock whose sleep advances time instantly and records each wait; abortable like the real one.
import type { Clock, Sleep } from '../../../src';

export interface FakeTime {
	clock: Clock;
	sleep: Sleep;
	sleeps: number[];
	advance(ms: number): void;
}

export function fakeTime(start = Date.UTC(2026, 10, 2, 10, 0, 0)): FakeTime {
	let now = start;
	const sleeps: number[] = [];
	return {
		clock: { now: () => now },
		sleeps,
		advance(ms: number) {
			now += ms;
		},
		sleep: async (ms, signal) => {
			if (signal?.aborted) throw new Error('aborted');
			sleeps.push(ms);
			now += ms;
			await Promise.resolve();
			if (signal?.aborted) throw new Error('aborted');
		},
	};
}

/** A deterministic random source cycling through the given values. */
export function seq(...values: number[]): () => number {
	let i = 0;
	return () => values[i++ % values.length];
}
