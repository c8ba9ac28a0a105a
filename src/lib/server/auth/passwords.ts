/** Password hashing: argon2id with @node-rs/argon2's defaults (m = 19 MiB, t = 2, p = 1; OWASP's minimum). */
import { hash, verify } from '@node-rs/argon2';

export const MIN_PASSWORD_LENGTH = 8;

export function hashPassword(password: string): Promise<string> {
	if (password.length < MIN_PASSWORD_LENGTH) throw new Error(`a password needs at least ${MIN_PASSWORD_LENGTH} characters`);
	return hash(password);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
	try {
		return await verify(stored, password);
	} catch {
		return false; // malformed stored hash
	}
}

let dummy: Promise<string> | undefined;
/** Spends the same time as a real check, so a sign-in for an unknown e-mail does not answer faster. */
export async function burnPasswordCheck(password: string): Promise<void> {
	dummy ??= hash('not-a-real-password-0000');
	await verifyPassword(await dummy, password);
}
