import type { RequestHandler } from './$types';
import spec from '$lib/server/api/openapi.yaml?raw';

export const GET: RequestHandler = async () =>
	new Response(spec, { headers: { 'content-type': 'application/yaml; charset=utf-8', 'cache-control': 'public, max-age=300' } });
