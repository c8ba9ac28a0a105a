// Loopback endpoint through which CLI jobs run inside the server that owns the database file.
// Authenticated by the token in DB.server.json (readable only by the user who started the server).
import { error } from '@sveltejs/kit';
import { z } from 'zod';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/app';
import { tokenMatches } from '$lib/server/jobs/server-file';
import { JOBS } from '$lib/server/jobs/registry';

const Body = z.object({
	argv: z.array(z.string()).max(100),
	cwd: z.string().min(1),
	actor: z.string().max(200),
	env: z.record(z.string(), z.string().optional()).default({})
});

export const POST: RequestHandler = async ({ params, request, getClientAddress }) => {
	const addr = getClientAddress();
	if (!/^(127\.|::1$|::ffff:127\.)/.test(addr)) error(403, 'loopback only');
	if (!tokenMatches((request.headers.get('authorization') ?? '').replace(/^Bearer /, ''))) error(401, 'bad job token');
	const job = JOBS[params.name];
	if (!job) error(404, `no job ${params.name}`);
	const body = Body.parse(await request.json());
	const db = await getDb();
	const enc = new TextEncoder();
	const stream = new ReadableStream<Uint8Array>({
		async start(controller) {
			const send = (prefix: string, l: string) => controller.enqueue(enc.encode(`${prefix} ${l.replaceAll('\n', '\n' + prefix + ' ')}\n`));
			let code = 2;
			try {
				code = await job({ db, argv: body.argv, cwd: body.cwd, actor: body.actor, tty: false, env: body.env, out: (l) => send('O', l), err: (l) => send('E', l) });
			} catch (e) {
				send('E', (e as Error).message);
			}
			controller.enqueue(enc.encode(`\u0000exit:${code}\n`));
			controller.close();
		}
	});
	return new Response(stream, { headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
};
