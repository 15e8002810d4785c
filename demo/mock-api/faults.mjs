// Decides, per request, which scripted fault the mock plays. Pure given the config, the seed and the arrival order.

/** FNV-1a over a string → [0, 1). Same seed and key always give the same number, whatever the arrival order. */
export function seededUnit(seed, ...parts) {
	let h = 0x811c9dc5;
	const s = `${seed}|${parts.join('|')}`;
	for (let i = 0; i < s.length; i++) {
		h ^= s.charCodeAt(i);
		h = Math.imul(h, 0x01000193) >>> 0;
	}
	return h / 4294967296;
}

/**
 * Route fault config (all optional):
 * - outage: [{ label, afterRequests | atMs, durationMs, status }]  a window of 503s (no side effect)
 * - rateLimit: { every, durationMs, retryAfterS }  after every `every` requests, all requests for durationMs get 429
 *   (or { every, burst }: the next `burst` requests get 429, whenever they come)
 * - resetBefore / resetAfter: fraction of keys whose first attempt loses its connection before / after the side effect
 * - slow: { rate, delayMs }  fraction of keys whose first answer is delayed
 */
export class FaultPlan {
	constructor(config = {}, now = () => Date.now()) {
		this.config = config;
		this.now = now;
		this.routes = new Map();
	}

	state(route) {
		let s = this.routes.get(route);
		if (!s) {
			s = { count: 0, firstAt: undefined, windows: [], attempts: new Map(), sinceBurst: 0 };
			this.routes.set(route, s);
		}
		return s;
	}

	/**
	 * Registers one arriving request and says what to play.
	 * @returns {{ fault?: 'outage'|'rate-limit'|'reset-before', after?: 'reset-after', delayMs: number, attempt: number, window?: object, retryAfterS?: number, remainingRatio: number }}
	 */
	decide(route, key) {
		const cfg = this.config.routes?.[route] ?? {};
		const s = this.state(route);
		const now = this.now();
		s.count += 1;
		if (s.firstAt === undefined) s.firstAt = now;
		// A request without a key (e.g. no email) is no lead's repeat.
		const attempt = key ? (s.attempts.get(key) ?? 0) + 1 : 1;
		if (key) s.attempts.set(key, attempt);
		const seed = this.config.seed ?? 1;
		const out = { delayMs: cfg.latencyMs ?? 0, attempt, remainingRatio: 1 };

		const windows = Array.isArray(cfg.outage) ? cfg.outage : cfg.outage ? [cfg.outage] : [];
		windows.forEach((w, i) => {
			const started = s.windows[i];
			if (started === undefined) {
				const due = w.afterRequests !== undefined ? s.count > w.afterRequests : now - s.firstAt >= (w.atMs ?? 0);
				if (due) s.windows[i] = now;
			}
			const at = s.windows[i];
			if (!out.fault && at !== undefined && now - at < w.durationMs) {
				out.fault = 'outage';
				out.window = { ...w, startedAt: at, index: i };
			}
		});
		if (out.fault) return out;

		const rl = cfg.rateLimit;
		if (rl && rl.every > 0 && rl.durationMs > 0) {
			// A rolling window used up: after `every` calls, every call for durationMs answers 429, then the window frees.
			if (s.burstUntil !== undefined && now < s.burstUntil) return this.limited(out, rl);
			s.sinceBurst += 1;
			if (s.sinceBurst > rl.every) {
				s.sinceBurst = 0;
				s.burstUntil = now + rl.durationMs;
				return this.limited(out, rl);
			}
			out.remainingRatio = Math.max(0.005, 1 - s.sinceBurst / rl.every);
		} else if (rl && rl.every > 0) {
			const pos = (s.count - 1) % (rl.every + rl.burst);
			if (s.count > rl.every && pos >= rl.every) return this.limited(out, rl);
			out.remainingRatio = Math.max(0.005, 1 - pos / rl.every);
		}

		// Connection and latency faults pick keys by hash and hit only a key's first attempt, so a retry can succeed.
		if (attempt === 1 && key) {
			if (seededUnit(seed, route, key, 'reset-before') < (cfg.resetBefore ?? 0)) out.fault = 'reset-before';
			else if (seededUnit(seed, route, key, 'reset-after') < (cfg.resetAfter ?? 0)) out.after = 'reset-after';
			if (cfg.slow && seededUnit(seed, route, key, 'slow') < cfg.slow.rate) out.delayMs += cfg.slow.delayMs;
		}
		return out;
	}

	limited(out, rl) {
		out.fault = 'rate-limit';
		out.retryAfterS = rl.retryAfterS ?? 1;
		out.remainingRatio = 0;
		return out;
	}

	summary() {
		const routes = {};
		for (const [route, s] of this.routes) {
			routes[route] = {
				requests: s.count,
				outageWindows: s.windows.map((at, i) => ({ index: i, startedAt: at === undefined ? null : new Date(at).toISOString() })),
			};
		}
		return routes;
	}
}
