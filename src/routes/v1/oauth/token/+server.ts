import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/app';
import { handleTokenRequest } from '$lib/server/api/oauth';
import { apiError } from '$lib/server/api/errors';

export const POST: RequestHandler = async ({ request }) => handleTokenRequest(await getDb(), request);

export const fallback: RequestHandler = async () => apiError(405, 'invalid_request', 'use POST', { allow: 'POST' });
