// Real time and an abortable sleep, for callers outside tests (nodes may use n8n's own sleep instead).
import type { Clock, Sleep } from './types';

export const realClock: Clock = { now: () => Date.now() };

export const realSleep: Sleep = (ms, signal) =>
	new Promise<void>((resolve, reject) => {
		if (signal?.aborted) return reject(new Error('aborted'));
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, Math.max(0, ms));
		const onAbort = () => {
			clearTimeout(timer);
			reject(new Error('aborted'));
		};
		signal?.addEventListener('abort', onAbort, { once: true });
	});
