// Depth alerts for the Dead Letter Trigger: which queues crossed the warning or critical threshold since the last poll.
import type { DeadLetterStats } from './types';

export type AlertLevel = 'ok' | 'warning' | 'critical';

/** DESIGN.md: any dead letter warns, more than 50 is critical. */
export const DEFAULT_DEPTH_THRESHOLDS = { warning: 1, critical: 51 } as const;

export interface DepthThresholds {
	/** Depth (open entries) at which a queue is at warning level. */
	warning: number;
	/** Depth at which it is critical. */
	critical: number;
}

export interface DepthCrossing {
	queue: string;
	from: AlertLevel;
	to: AlertLevel;
	depth: number;
	oldestOpenAgeMs?: number;
}

export function levelOf(depth: number, t: DepthThresholds): AlertLevel {
	return depth >= t.critical ? 'critical' : depth >= t.warning ? 'warning' : 'ok';
}

/**
 * Compares each queue's level now with the level remembered from the previous poll (e.g. in the trigger's static
 * data) and returns the crossings, up and down, plus the levels to remember. A queue that vanished counts as ok.
 */
export function depthCrossings(
	stats: DeadLetterStats,
	previous: Record<string, AlertLevel>,
	t: DepthThresholds = DEFAULT_DEPTH_THRESHOLDS,
): { crossings: DepthCrossing[]; levels: Record<string, AlertLevel> } {
	if (!(t.warning >= 1 && t.critical > t.warning)) throw new Error(`Thresholds need 1 ≤ warning < critical, got warning ${t.warning}, critical ${t.critical}`);
	const levels: Record<string, AlertLevel> = {};
	const crossings: DepthCrossing[] = [];
	for (const q of stats.queues) {
		const to = levelOf(q.depth, t);
		const from = previous[q.queue] ?? 'ok';
		if (to !== 'ok') levels[q.queue] = to;
		if (to !== from) crossings.push({ queue: q.queue, from, to, depth: q.depth, ...(q.oldestOpenAgeMs !== undefined ? { oldestOpenAgeMs: q.oldestOpenAgeMs } : {}) });
	}
	for (const [queue, from] of Object.entries(previous)) {
		if (from !== 'ok' && !stats.queues.some((q) => q.queue === queue)) crossings.push({ queue, from, to: 'ok', depth: 0 });
	}
	return { crossings, levels };
}
