/**
 * One billing run at a time in a process (CLI, finance button and schedule share it): runs share
 * the incentive staging table and write the same output folders.
 */
let tail: Promise<unknown> = Promise.resolve();
let busy = false;

export function billingBusy(): boolean {
	return busy;
}

export function withBillingLock<T>(fn: () => Promise<T>): Promise<T> {
	const run = tail.then(async () => {
		busy = true;
		try {
			return await fn();
		} finally {
			busy = false;
		}
	});
	tail = run.catch(() => undefined);
	return run;
}
