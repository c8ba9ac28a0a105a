import type { RequestHandler } from './$types';
import { requireUser, scopeFor } from '$lib/server/auth/guard';
import { exportTable } from '../handler.server';

export const GET: RequestHandler = async ({ params, url, locals }) => exportTable(params.table, url, scopeFor(requireUser(locals)), locals.lang);
