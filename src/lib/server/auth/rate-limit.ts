/**
 * In-process limiters. The dashboard server is the one process that owns the database, so its
 * memory is the right place: nothing to write per request, and a restart forgets (acceptable for
 * both uses: sign-in throttling and API request rates).
 */

/** Counts failures per key in a sliding window; a key with `max` failures inside it is blocked. */
export class FailureThrottle {
	private failures = new Map<string, number[]>();
	constructor(
		readonly max: number,
		readonly windowMs: number,
		private clock: () => number = Date.now
	) {}

	/** Seconds until the key may try again, or 0. */
	retryAfter(key: string): number {
		const now = this.clock();
		const list = this.recent(key, now);
		if (list.length < this.max) return 0;
		// Blocked until enough old failures leave the window to bring the count below max.
		const freeAt = list[list.length - this.max] + this.windowMs;
		return Math.max(1, Math.ceil((freeAt - now) / 1000));
	}

	fail(key: string): void {
		const now = this.clock();
		const list = this.recent(key, now);
		list.push(now);
		this.failures.set(key, list);
		if (this.failures.size > 50_000) this.prune(now);
	}

	clear(key: string): void {
		this.failures.delete(key);
	}

	/** Forgets every key (tests). */
	reset(): void {
		this.failures.clear();
	}

	private recent(key: string, now: number): number[] {
		return (this.failures.get(key) ?? []).filter((t) => t > now - this.windowMs);
	}

	private prune(now: number) {
		for (const [k, v] of this.failures) if (!v.some((t) => t > now - this.windowMs)) this.failures.delete(k);
	}
}

/** Token bucket per key: `rate` requests a second on average, bursts up to `burst`. */
export class TokenBucket {
	private buckets = new Map<string, { tokens: number; at: number }>();
	constructor(
		readonly rate: number,
		readonly burst: number,
		private clock: () => number = Date.now
	) {}

	/** Takes one token: 0 when allowed, else the whole seconds to wait (Retry-After). */
	take(key: string): number {
		const now = this.clock();
		const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
		b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.rate);
		b.at = now;
		this.buckets.set(key, b);
		if (this.buckets.size > 50_000) this.prune(now);
		if (b.tokens >= 1) {
			b.tokens -= 1;
			return 0;
		}
		return Math.max(1, Math.ceil((1 - b.tokens) / this.rate));
	}

	/** Forgets every bucket (tests). */
	reset(): void {
		this.buckets.clear();
	}

	private prune(now: number) {
		for (const [k, b] of this.buckets) if (b.tokens + ((now - b.at) / 1000) * this.rate >= this.burst) this.buckets.delete(k);
	}
}
