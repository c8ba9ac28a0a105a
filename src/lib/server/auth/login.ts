/**
 * Sign-in with throttling: per account (5 failures in 15 minutes) and per address (30 in 15
 * minutes) the next attempt is refused with 429 and Retry-After, before any password is checked,
 * so a locked account cannot be guessed even with the right password. Unknown e-mails count
 * against their key just like known ones and cost the same time (no account enumeration).
 */
import type { Db } from '../db/connection.ts';
import { burnPasswordCheck, verifyPassword } from './passwords.ts';
import { FailureThrottle } from './rate-limit.ts';
import { createSession } from './sessions.ts';
import type { SessionUser } from './types.ts';
import { findUserByEmail } from './users.ts';

export const ACCOUNT_FAILURES = 5;
export const ADDRESS_FAILURES = 30;
export const FAILURE_WINDOW_MS = 15 * 60_000;

export type LoginResult =
	| { kind: 'ok'; user: SessionUser; session: { value: string; expires: Date } }
	| { kind: 'invalid' }
	| { kind: 'throttled'; retryAfter: number };

export class LoginService {
	readonly perAccount: FailureThrottle;
	readonly perAddress: FailureThrottle;
	constructor(clock: () => number = Date.now) {
		this.perAccount = new FailureThrottle(ACCOUNT_FAILURES, FAILURE_WINDOW_MS, clock);
		this.perAddress = new FailureThrottle(ADDRESS_FAILURES, FAILURE_WINDOW_MS, clock);
	}

	async attempt(db: Db, email: string, password: string, address: string): Promise<LoginResult> {
		const account = email.trim().toLowerCase().slice(0, 254);
		const wait = Math.max(this.perAccount.retryAfter(account), this.perAddress.retryAfter(address));
		if (wait > 0) return { kind: 'throttled', retryAfter: wait };
		const user = account && password ? await findUserByEmail(db, account) : null;
		let ok = false;
		if (user) ok = await verifyPassword(user.passwordHash, password);
		else await burnPasswordCheck(password);
		if (!ok || !user) {
			this.perAccount.fail(account);
			this.perAddress.fail(address);
			return { kind: 'invalid' };
		}
		this.perAccount.clear(account);
		const session = await createSession(db, user.id);
		return { kind: 'ok', user: { id: user.id, email: user.email, role: user.role, sellerId: user.sellerId }, session };
	}
}

/**
 * The HTTP status a sign-in attempt should answer with. SvelteKit answers a form action called
 * with Accept: application/json (use:enhance, scripts) with 200 and the status in the body; the
 * hook (handle.ts) applies this one, so 400 and 429 + Retry-After are real for every client.
 */
export const loginOutcome = new WeakMap<Request, { status: number; retryAfter?: number }>();

/** The server's one instance. */
export const loginService = new LoginService();
