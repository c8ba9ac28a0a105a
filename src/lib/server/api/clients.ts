/**
 * ERP API clients (OAuth 2.0 client credentials) and their access tokens. A client belongs to one
 * seller; its secret and tokens are stored as SHA-256 digests (see ../auth/secrets.ts).
 */
import type { Db } from '../db/connection.ts';
import { randomSecret, sameSecret, sha256hex } from '../auth/secrets.ts';

export const TOKEN_TTL_SECONDS = 3600;

export interface ApiPrincipal {
	clientId: string;
	sellerId: string;
}

export async function createApiClient(db: Db, sellerId: string, actor: string): Promise<{ clientId: string; secret: string }> {
	const seller = await db.one('SELECT 1 AS ok FROM sellers WHERE seller_id = $s', { s: sellerId });
	if (!seller) throw new Error(`no seller ${sellerId} in the database`);
	const clientId = `vsc_${randomSecret(12)}`;
	const secret = randomSecret(32);
	await db.run('INSERT INTO api_clients (client_id, seller_id, secret_hash, created_by) VALUES ($c, $s, $h, $a)', {
		c: clientId,
		s: sellerId,
		h: sha256hex(secret),
		a: actor
	});
	return { clientId, secret };
}

/** Revokes a client and every token it holds. False when there is no such active client. */
export async function revokeApiClient(db: Db, clientId: string): Promise<boolean> {
	return db.tx(async (t) => {
		const c = await t.one('SELECT 1 AS ok FROM api_clients WHERE client_id = $c AND revoked_at IS NULL', { c: clientId });
		if (!c) return false;
		await t.run('UPDATE api_clients SET revoked_at = now() WHERE client_id = $c', { c: clientId });
		await t.run('DELETE FROM api_tokens WHERE client_id = $c', { c: clientId });
		return true;
	}).then((ok) => {
		if (ok) forgetClient(clientId);
		return ok;
	});
}

export async function listApiClients(db: Db, sellerId?: string) {
	return db.all<{ client_id: string; seller_id: string; created_at: Date; created_by: string; revoked_at: Date | null }>(
		`SELECT client_id, seller_id, created_at, created_by, revoked_at FROM api_clients
		  WHERE $s IS NULL OR seller_id = $s ORDER BY created_at, client_id`,
		{ s: sellerId ?? null }
	);
}

/** The active client for these credentials, or null (unknown, wrong secret, revoked). */
export async function authenticateClient(db: Db, clientId: string, secret: string): Promise<ApiPrincipal | null> {
	const r = await db.one<{ seller_id: string; secret_hash: string }>(
		'SELECT seller_id, secret_hash FROM api_clients WHERE client_id = $c AND revoked_at IS NULL',
		{ c: clientId }
	);
	// Compare digests in constant time; an unknown client still hashes, so timing tells nothing.
	const given = sha256hex(secret);
	if (!r) {
		sameSecret(given, given);
		return null;
	}
	return sameSecret(given, r.secret_hash) ? { clientId, sellerId: r.seller_id } : null;
}

export async function issueToken(db: Db, clientId: string, at = new Date()): Promise<{ token: string; expiresIn: number }> {
	const token = randomSecret(32);
	const exp = new Date(at.getTime() + TOKEN_TTL_SECONDS * 1000);
	await db.run('INSERT INTO api_tokens VALUES ($h, $c, $at::TIMESTAMPTZ, $exp::TIMESTAMPTZ)', {
		h: sha256hex(token),
		c: clientId,
		at: at.toISOString(),
		exp: exp.toISOString()
	});
	await db.run('DELETE FROM api_tokens WHERE expires_at < $at::TIMESTAMPTZ', { at: at.toISOString() });
	return { token, expiresIn: TOKEN_TTL_SECONDS };
}

/**
 * Principals of recently seen tokens, per database, so that an ERP client polling at 20 requests
 * a second costs one database lookup every PRINCIPAL_CACHE_MS instead of one per request. A
 * revoke in this process forgets the client at once; one made by another process (the CLI without
 * a running server) takes effect within PRINCIPAL_CACHE_MS. An entry never outlives its token.
 */
export const PRINCIPAL_CACHE_MS = 5000;
interface CachedPrincipal {
	db: Db;
	principal: ApiPrincipal;
	expiresAtMs: number;
	checkedAtMs: number;
}
// Keyed by token hash; the entry remembers which database vouched for it (tests open several).
const principalCache = new Map<string, CachedPrincipal>();

// Bumped by every revoke: a lookup that raced with one is not cached.
let revocations = 0;
function forgetClient(clientId: string): void {
	revocations++;
	for (const [h, e] of principalCache) if (e.principal.clientId === clientId) principalCache.delete(h);
}

/** Forgets every cached principal (tests, or after writing api_tokens/api_clients directly). */
export function clearPrincipalCache(): void {
	principalCache.clear();
}

/** The client behind a bearer token, or null (unknown, expired, or its client revoked). */
export async function principalForToken(db: Db, token: string, at = new Date()): Promise<ApiPrincipal | null> {
	if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
	const h = sha256hex(token);
	const now = at.getTime();
	const hit = principalCache.get(h);
	if (hit && hit.db === db && hit.expiresAtMs > now && now >= hit.checkedAtMs && now - hit.checkedAtMs < PRINCIPAL_CACHE_MS) return hit.principal;
	if (hit) principalCache.delete(h);
	const gen = revocations;
	const r = await db.one<{ client_id: string; seller_id: string; expires_us: number }>(
		`SELECT c.client_id, c.seller_id, epoch_us(t.expires_at) AS expires_us FROM api_tokens t JOIN api_clients c USING (client_id)
		  WHERE t.token_hash = $h AND t.expires_at > $at::TIMESTAMPTZ AND c.revoked_at IS NULL`,
		{ h, at: at.toISOString() }
	);
	if (!r) return null;
	const principal = { clientId: r.client_id, sellerId: r.seller_id };
	if (gen !== revocations) return principal;
	if (principalCache.size >= 10_000) principalCache.clear(); // bound memory: only abuse has this many live tokens
	principalCache.set(h, { db, principal, expiresAtMs: r.expires_us / 1000, checkedAtMs: now });
	return principal;
}
