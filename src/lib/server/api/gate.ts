/**
 * At most API_DB_CONCURRENCY (default 2) ERP API queries use the database at once; the rest wait
 * here, in order. The pool (src/lib/server/app.ts, DB_CONNECTIONS, default 4) is shared with the
 * dashboard: without this gate 50 busy ERP clients hold every connection and the dashboard (and
 * /healthz) queue behind them. On 2 cores more parallel queries only add contention, not throughput.
 */
export class Gate {
	private active = 0;
	private waiting: (() => void)[] = [];
	constructor(readonly max: number) {}

	async run<T>(fn: () => Promise<T>): Promise<T> {
		if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
		else this.active++;
		try {
			return await fn();
		} finally {
			// Hand the slot straight to the next waiter (active stays the same) or free it.
			const next = this.waiting.shift();
			if (next) next();
			else this.active--;
		}
	}

	get queued(): number {
		return this.waiting.length;
	}
}

const configured = Number(process.env.API_DB_CONCURRENCY);
export const apiDbGate = new Gate(Number.isInteger(configured) && configured > 0 ? configured : 2);
