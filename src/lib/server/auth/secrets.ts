/**
 * Random secrets and their stored form. Session cookies, client secrets and access tokens are
 * 256-bit random values: only their SHA-256 digest is stored, so a copy of the database does not
 * sign anybody in, and a fast hash is enough (there is nothing to brute-force in 2^256).
 */
import crypto from 'node:crypto';

export function randomSecret(bytes = 32): string {
	return crypto.randomBytes(bytes).toString('base64url');
}

export function sha256hex(s: string): string {
	return crypto.createHash('sha256').update(s, 'utf8').digest('hex');
}

/** Constant-time comparison of two strings (false for different lengths). */
export function sameSecret(a: string, b: string): boolean {
	const x = Buffer.from(a);
	const y = Buffer.from(b);
	return x.length === y.length && crypto.timingSafeEqual(x, y);
}
