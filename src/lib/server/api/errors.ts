/** Error responses of the ERP API: JSON {"error", "error_description"} (RFC 6749 §5.2 style everywhere). */
export function apiError(status: number, error: string, description: string, headers: Record<string, string> = {}): Response {
	return new Response(JSON.stringify({ error, error_description: description }), {
		status,
		headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }
	});
}

export function apiJson(body: unknown, status = 200): Response {
	return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
}
