/** Accounts of people: ops, finance and seller (a seller account belongs to one seller_id). */
import { z } from 'zod';
import type { Db } from '../db/connection.ts';
import { hashPassword } from './passwords.ts';
import { randomSecret } from './secrets.ts';
import type { Role, SessionUser } from './types.ts';

export const ROLES: readonly Role[] = ['ops', 'finance', 'seller'];

export const NewUser = z
	.object({
		email: z.email().max(254).transform((e) => e.trim().toLowerCase()),
		role: z.enum(['ops', 'finance', 'seller']),
		sellerId: z.string().min(1).max(64).nullable().default(null),
		password: z.string().min(8, 'a password needs at least 8 characters').max(1024)
	})
	.refine((u) => (u.role === 'seller') === (u.sellerId !== null), {
		message: 'a seller account needs --seller SELLER_ID, and only a seller account takes one',
		path: ['sellerId']
	});
export type NewUser = z.input<typeof NewUser>;

export interface StoredUser extends SessionUser {
	passwordHash: string;
}

export class UserError extends Error {}

/** Creates an account; throws UserError for a taken e-mail or an unknown seller. */
export async function createUser(db: Db, input: NewUser): Promise<SessionUser> {
	const u = NewUser.parse(input);
	if (await findUserByEmail(db, u.email)) throw new UserError(`an account for ${u.email} exists already`);
	if (u.sellerId !== null) {
		const s = await db.one('SELECT 1 AS ok FROM sellers WHERE seller_id = $s', { s: u.sellerId });
		if (!s) throw new UserError(`no seller ${u.sellerId} in the database`);
	}
	const id = `u_${randomSecret(12)}`;
	await db.run(
		`INSERT INTO users (user_id, email, role, seller_id, password_hash) VALUES ($id, $email, $role, $seller, $hash)`,
		{ id, email: u.email, role: u.role, seller: u.sellerId, hash: await hashPassword(u.password) }
	);
	return { id, email: u.email, role: u.role, sellerId: u.sellerId };
}

export async function setPassword(db: Db, email: string, password: string): Promise<boolean> {
	const u = await findUserByEmail(db, email);
	if (!u) return false;
	await db.run('UPDATE users SET password_hash = $h WHERE user_id = $id', { h: await hashPassword(password), id: u.id });
	return true;
}

export async function findUserByEmail(db: Db, email: string): Promise<StoredUser | null> {
	const r = await db.one<{ user_id: string; email: string; role: Role; seller_id: string | null; password_hash: string }>(
		'SELECT user_id, email, role, seller_id, password_hash FROM users WHERE email = $e AND disabled_at IS NULL',
		{ e: email.trim().toLowerCase() }
	);
	return r ? { id: r.user_id, email: r.email, role: r.role, sellerId: r.seller_id, passwordHash: r.password_hash } : null;
}
