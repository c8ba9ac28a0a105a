/**
 * Demo accounts for `npm start` on sample data: one per role; the seller account belongs to the
 * sample seller with the most orders (ties: smallest seller_id). Called from jobs/bootstrap.ts.
 * Existing demo accounts are kept as they are; the list returned (and printed) names only those
 * that still take the documented password.
 */
import type { Db } from '../db/connection.ts';
import { DEMO_ACCOUNTS } from './demo-credentials.ts';
import { verifyPassword } from './passwords.ts';
import type { Role } from './types.ts';
import { createUser, findUserByEmail } from './users.ts';

export interface DemoAccount {
	email: string;
	password: string;
	role: Role;
	sellerId: string | null;
}

export async function demoSellerId(db: Db): Promise<string | null> {
	const r = await db.one<{ seller_id: string }>(
		`SELECT o.seller_id FROM orders o SEMI JOIN sellers s ON s.seller_id = o.seller_id
		  GROUP BY o.seller_id ORDER BY count(*) DESC, o.seller_id LIMIT 1`
	);
	return r?.seller_id ?? null;
}

export async function ensureDemoAccounts(db: Db): Promise<DemoAccount[]> {
	if (process.env.DEMO_ACCOUNTS === '0') return [];
	const out: DemoAccount[] = [];
	for (const d of DEMO_ACCOUNTS) {
		const existing = await findUserByEmail(db, d.email);
		if (existing) {
			if (await verifyPassword(existing.passwordHash, d.password))
				out.push({ email: d.email, password: d.password, role: existing.role, sellerId: existing.sellerId });
			continue;
		}
		let sellerId: string | null = null;
		if (d.role === 'seller') {
			sellerId = await demoSellerId(db);
			if (!sellerId) continue; // no orders loaded yet: nothing for a seller to see
		}
		await createUser(db, { email: d.email, role: d.role, sellerId, password: d.password });
		await db.run(`INSERT INTO audit_log (actor, action, detail) VALUES ('npm start', 'user.add', $d::JSON)`, {
			d: JSON.stringify({ email: d.email, role: d.role, seller_id: sellerId, demo: true })
		});
		out.push({ email: d.email, password: d.password, role: d.role, sellerId });
	}
	return out;
}
