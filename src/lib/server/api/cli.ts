/**
 * `npm run api-client -- add --seller SELLER_ID [--json]` prints a new client id and secret (the
 * secret is shown once; only its hash is kept), `npm run api-client -- revoke CLIENT_ID`,
 * `npm run api-client -- list [--seller SELLER_ID]`.
 * Runs in the CLI process or, when the dashboard server owns the database, inside it (JOBS['api-client']).
 */
import type { JobContext } from '../jobs/context.ts';
import { createApiClient, listApiClients, revokeApiClient } from './clients.ts';

export const API_CLIENT_USAGE = `usage:
  npm run api-client -- add --seller SELLER_ID [--json]
  npm run api-client -- revoke CLIENT_ID
  npm run api-client -- list [--seller SELLER_ID]`;

export async function apiClientJob(ctx: JobContext): Promise<number> {
	const [cmd, ...rest] = ctx.argv;
	const flag = (name: string): string | true | undefined => {
		const i = rest.indexOf(`--${name}`);
		if (i < 0) return undefined;
		const v = rest[i + 1];
		return v === undefined || v.startsWith('--') ? true : v;
	};
	if (cmd === 'add') {
		const seller = flag('seller');
		if (typeof seller !== 'string') {
			ctx.err(API_CLIENT_USAGE);
			return 2;
		}
		let c;
		try {
			c = await createApiClient(ctx.db, seller, ctx.actor);
		} catch (e) {
			ctx.err((e as Error).message);
			return 1;
		}
		await ctx.db.run(`INSERT INTO audit_log (actor, action, detail) VALUES ($a, 'api-client.add', $d::JSON)`, {
			a: ctx.actor,
			d: JSON.stringify({ client_id: c.clientId, seller_id: seller })
		});
		if (flag('json') === true) ctx.out(JSON.stringify({ client_id: c.clientId, client_secret: c.secret, seller_id: seller }));
		else {
			ctx.out(`client_id:     ${c.clientId}`);
			ctx.out(`client_secret: ${c.secret}`);
			ctx.out(`seller:        ${seller}`);
			ctx.out('Keep the secret now: it is stored only as a hash and cannot be shown again.');
		}
		return 0;
	}
	if (cmd === 'revoke') {
		const id = rest.find((a) => !a.startsWith('--'));
		if (!id) {
			ctx.err(API_CLIENT_USAGE);
			return 2;
		}
		if (!(await revokeApiClient(ctx.db, id))) {
			ctx.err(`no active client ${id}`);
			return 1;
		}
		await ctx.db.run(`INSERT INTO audit_log (actor, action, detail) VALUES ($a, 'api-client.revoke', $d::JSON)`, {
			a: ctx.actor,
			d: JSON.stringify({ client_id: id })
		});
		ctx.out(`revoked ${id}: its tokens stop working now`);
		return 0;
	}
	if (cmd === 'list') {
		const s = flag('seller');
		for (const c of await listApiClients(ctx.db, typeof s === 'string' ? s : undefined))
			ctx.out(`${c.client_id}  seller ${c.seller_id}  ${c.revoked_at ? 'revoked' : 'active'}  created ${c.created_at.toISOString()} by ${c.created_by}`);
		return 0;
	}
	ctx.err(API_CLIENT_USAGE);
	return 2;
}
