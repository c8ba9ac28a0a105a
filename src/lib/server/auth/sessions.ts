/**
 * Sign-in sessions, kept in the database behind an HttpOnly, SameSite=Lax cookie (Secure over
 * HTTPS). The cookie holds a random value; the table holds its SHA-256. A session lasts
 * SESSION_HOURS from its last renewal and is renewed (one write) once half of that has passed.
 */
import type { Cookies } from '@sveltejs/kit';
import type { Db } from '../db/connection.ts';
import { randomSecret, sha256hex } from './secrets.ts';
import type { Role, SessionUser } from './types.ts';

export const SESSION_COOKIE = 'vso_session';
export const SESSION_HOURS = 12;
const HOUR = 3600_000;

export async function createSession(db: Db, userId: string, at = new Date()): Promise<{ value: string; expires: Date }> {
	const value = randomSecret();
	const expires = new Date(at.getTime() + SESSION_HOURS * HOUR);
	await db.run('INSERT INTO sessions VALUES ($h, $u, $at::TIMESTAMPTZ, $exp::TIMESTAMPTZ)', {
		h: sha256hex(value),
		u: userId,
		at: at.toISOString(),
		exp: expires.toISOString()
	});
	// Expired sessions are dropped here rather than by a timer: sign-ins are rare, tables stay small.
	await db.run('DELETE FROM sessions WHERE expires_at < $at::TIMESTAMPTZ', { at: at.toISOString() });
	return { value, expires };
}

/** The user behind a cookie value, or null (unknown, expired, or account disabled). Renews a half-spent session. */
export async function sessionUser(db: Db, value: string | undefined, at = new Date()): Promise<{ user: SessionUser; renewedUntil: Date | null } | null> {
	if (!value || value.length > 100) return null;
	const h = sha256hex(value);
	const r = await db.one<{ user_id: string; email: string; role: Role; seller_id: string | null; expires_at: Date }>(
		`SELECT u.user_id, u.email, u.role, u.seller_id, s.expires_at
		   FROM sessions s JOIN users u USING (user_id)
		  WHERE s.session_hash = $h AND s.expires_at > $at::TIMESTAMPTZ AND u.disabled_at IS NULL`,
		{ h, at: at.toISOString() }
	);
	if (!r) return null;
	let renewedUntil: Date | null = null;
	if (r.expires_at.getTime() - at.getTime() < (SESSION_HOURS * HOUR) / 2) {
		renewedUntil = new Date(at.getTime() + SESSION_HOURS * HOUR);
		await db.run('UPDATE sessions SET expires_at = $exp::TIMESTAMPTZ WHERE session_hash = $h', { exp: renewedUntil.toISOString(), h });
	}
	return { user: { id: r.user_id, email: r.email, role: r.role, sellerId: r.seller_id }, renewedUntil };
}

export async function deleteSession(db: Db, value: string | undefined): Promise<void> {
	if (value) await db.run('DELETE FROM sessions WHERE session_hash = $h', { h: sha256hex(value) });
}

export async function deleteSessionsOf(db: Db, userId: string): Promise<void> {
	await db.run('DELETE FROM sessions WHERE user_id = $u', { u: userId });
}

export function setSessionCookie(cookies: Cookies, url: URL, value: string, expires: Date): void {
	cookies.set(SESSION_COOKIE, value, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: url.protocol === 'https:',
		expires
	});
}

export function clearSessionCookie(cookies: Cookies, url: URL): void {
	cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:' });
}
