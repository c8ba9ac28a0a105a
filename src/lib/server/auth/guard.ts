/**
 * Who may open what: the one table the server's handle hook enforces (hooks.server.ts →
 * ./handle.ts), plus scopeFor(), the seller filter every page hands to the metrics layer.
 * Pages never check roles themselves; a route that is not listed falls under '/' (the dashboards:
 * ops and finance), so a seller reaches nothing but the seller portal unless a row says so.
 */
import type { Role, SessionUser } from './types.ts';

export type Access =
	/** Anyone, signed in or not. */
	| { kind: 'public' }
	/** Authenticates itself (the loopback job hand-off checks its own token). */
	| { kind: 'self' }
	/** ERP API: OAuth 2.0 bearer token, checked by the hook (401 JSON without one). */
	| { kind: 'api' }
	/** Signed-in people with one of these roles. */
	| { kind: 'roles'; roles: readonly Role[] };

const PUBLIC = { kind: 'public' } as const;

/** Path prefix → who may open it. Longest matching prefix wins; prefixes match whole path segments. */
export const ROUTE_ACCESS: ReadonlyArray<{ prefix: string; access: Access }> = [
	{ prefix: '/login', access: PUBLIC },
	{ prefix: '/logout', access: PUBLIC },
	{ prefix: '/healthz', access: PUBLIC },
	{ prefix: '/openapi.yaml', access: PUBLIC },
	{ prefix: '/v1/oauth/token', access: PUBLIC },
	{ prefix: '/v1', access: { kind: 'api' } },
	{ prefix: '/internal/jobs', access: { kind: 'self' } },
	// Static assets (adapter-node serves most of them before the hook runs; listed for dev and preview).
	{ prefix: '/_app', access: PUBLIC },
	{ prefix: '/favicon.svg', access: PUBLIC },
	{ prefix: '/favicon.png', access: PUBLIC },
	{ prefix: '/robots.txt', access: PUBLIC },
	// People.
	{ prefix: '/seller', access: { kind: 'roles', roles: ['seller'] } },
	{ prefix: '/finance', access: { kind: 'roles', roles: ['finance', 'ops'] } }, // ops read-only: the finance page checks who may issue
	{ prefix: '/data', access: { kind: 'roles', roles: ['ops'] } },
	{ prefix: '/', access: { kind: 'roles', roles: ['ops', 'finance'] } } // every dashboard
];

function matches(path: string, prefix: string): boolean {
	if (prefix === '/') return true;
	return path === prefix || path.startsWith(prefix + '/');
}

/** The access rule for a (decoded) path. */
export function accessFor(pathname: string): Access {
	let best: { prefix: string; access: Access } | undefined;
	for (const row of ROUTE_ACCESS) if (matches(pathname, row.prefix) && (!best || row.prefix.length > best.prefix.length)) best = row;
	return best!.access;
}

/** Where a role lands after signing in, and when it opens '/'. */
export function homeFor(role: Role): string {
	return role === 'seller' ? '/seller' : '/';
}

export function mayOpen(user: SessionUser, pathname: string): boolean {
	const a = accessFor(pathname);
	return a.kind === 'public' || (a.kind === 'roles' && a.roles.includes(user.role));
}

/**
 * The `next` target after sign-in: a path on this site the user may open, else their home.
 * Only same-origin paths ('/x', never '//host' or '/\host' or 'https://…') are followed.
 */
export function safeNext(next: string | null | undefined, user: SessionUser): string {
	if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.length > 2000) return homeFor(user.role);
	let path: string;
	try {
		const u = new URL(next, 'http://x.invalid');
		if (u.origin !== 'http://x.invalid') return homeFor(user.role);
		path = u.pathname;
		next = u.pathname + u.search + u.hash;
	} catch {
		return homeFor(user.role);
	}
	if (path === '/login' || path === '/logout' || !mayOpen(user, path)) return homeFor(user.role);
	return next;
}

/** The metrics layer's seller filter: a seller sees only their seller_id; ops and finance see all. */
export interface Scope {
	sellerId: string | null;
}

export function scopeFor(user: SessionUser): Scope {
	if (user.role === 'seller') {
		// A seller account without a seller would otherwise read as "every seller".
		if (!user.sellerId) throw new Error(`seller account ${user.id} has no seller_id`);
		return { sellerId: user.sellerId };
	}
	return { sellerId: null };
}

/** For pages: the signed-in user (the hook guarantees one on every non-public route). */
export function requireUser(locals: { user: SessionUser | null }): SessionUser {
	if (!locals.user) throw new Error('requireUser on a route without a signed-in user: is it public in ROUTE_ACCESS?');
	return locals.user;
}
