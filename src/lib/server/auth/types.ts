export type Role = 'ops' | 'finance' | 'seller';

/** The signed-in person as every server route sees it (locals.user). */
export interface SessionUser {
	id: string;
	email: string;
	role: Role;
	/** Set for seller accounts only: every query for this user is scoped to it. */
	sellerId: string | null;
}
