// An abortable wait: n8n-workflow's sleepWithAbort where the loaded n8n-workflow has it (2.8 does, 2.41 dropped it),
// else the same contract here, so stopping a workflow stops a backoff whichever n8n-workflow npm resolved.
import * as workflow from 'n8n-workflow';

type SleepWithAbort = (ms: number, signal?: AbortSignal) => Promise<void>;

export function localSleepWithAbort(ms: number, signal?: AbortSignal): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) {
			reject(new Error('Execution cancelled'));
			return;
		}
		const onAbort = () => {
			clearTimeout(timer);
			reject(new Error('Execution cancelled'));
		};
		const timer = setTimeout(() => {
			signal?.removeEventListener('abort', onAbort);
			resolve();
		}, ms);
		signal?.addEventListener('abort', onAbort, { once: true });
	});
}

const fromN8n = (workflow as unknown as { sleepWithAbort?: SleepWithAbort }).sleepWithAbort;

export const sleepWithAbort: SleepWithAbort = typeof fromN8n === 'function' ? fromN8n : localSleepWithAbort;
