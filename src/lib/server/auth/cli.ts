/**
 * `npm run user -- add --email E --role ROLE [--seller SELLER_ID]` (password from PASSWORD),
 * `npm run user -- passwd --email E`, `npm run user -- list`.
 * Runs in the CLI process or, when the dashboard server owns the database, inside it (JOBS.user).
 */
import { z } from 'zod';
import type { JobContext } from '../jobs/context.ts';
import { deleteSessionsOf } from './sessions.ts';
import { NewUser, UserError, createUser, findUserByEmail, setPassword } from './users.ts';

export const USER_USAGE = `usage:
  npm run user -- add --email E --role ops|finance|seller [--seller SELLER_ID]
  npm run user -- passwd --email E
  npm run user -- list
The password is read from the PASSWORD environment variable, or asked for.`;

function flags(argv: string[]): { cmd: string | undefined; f: Record<string, string | true> } {
	const f: Record<string, string | true> = {};
	const pos: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a.startsWith('--')) {
			if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) f[a.slice(2)] = argv[++i];
			else f[a.slice(2)] = true;
		} else pos.push(a);
	}
	return { cmd: pos[0], f };
}

export async function userJob(ctx: JobContext): Promise<number> {
	const { cmd, f } = flags(ctx.argv);
	const password = ctx.env.PASSWORD ?? '';
	try {
		if (cmd === 'add') {
			const parsed = NewUser.safeParse({
				email: f.email,
				role: f.role,
				sellerId: typeof f.seller === 'string' ? f.seller : null,
				password
			});
			if (!parsed.success) {
				ctx.err(z.prettifyError(parsed.error));
				ctx.err(USER_USAGE);
				return 2;
			}
			const u = await createUser(ctx.db, parsed.data);
			await ctx.db.run(`INSERT INTO audit_log (actor, action, detail) VALUES ($a, 'user.add', $d::JSON)`, {
				a: ctx.actor,
				d: JSON.stringify({ email: u.email, role: u.role, seller_id: u.sellerId })
			});
			ctx.out(`created ${u.role} account ${u.email}${u.sellerId ? ` for seller ${u.sellerId}` : ''}`);
			return 0;
		}
		if (cmd === 'passwd') {
			if (typeof f.email !== 'string' || password.length < 8) {
				ctx.err('passwd needs --email E and a password of at least 8 characters');
				return 2;
			}
			const u = await findUserByEmail(ctx.db, f.email);
			if (!u || !(await setPassword(ctx.db, f.email, password))) {
				ctx.err(`no account ${f.email}`);
				return 1;
			}
			await deleteSessionsOf(ctx.db, u.id); // a new password signs every session out
			await ctx.db.run(`INSERT INTO audit_log (actor, action, detail) VALUES ($a, 'user.passwd', $d::JSON)`, {
				a: ctx.actor,
				d: JSON.stringify({ email: u.email })
			});
			ctx.out(`password changed for ${u.email}`);
			return 0;
		}
		if (cmd === 'list') {
			const rows = await ctx.db.all<{ email: string; role: string; seller_id: string | null; created_at: Date }>(
				'SELECT email, role, seller_id, created_at FROM users WHERE disabled_at IS NULL ORDER BY email'
			);
			for (const r of rows) ctx.out(`${r.role.padEnd(8)} ${r.email}${r.seller_id ? `  seller ${r.seller_id}` : ''}`);
			return 0;
		}
		ctx.err(USER_USAGE);
		return 2;
	} catch (e) {
		if (e instanceof UserError) {
			ctx.err(e.message);
			return 1;
		}
		throw e;
	}
}
