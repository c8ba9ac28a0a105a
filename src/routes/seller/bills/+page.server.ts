import type { PageServerLoad } from './$types';
import { requireUser } from '$lib/server/auth/guard';
import { sellerMonths } from '../bills-dir.server';

export const load: PageServerLoad = async ({ locals }) => {
	const user = requireUser(locals);
	return { months: user.sellerId ? sellerMonths(user.sellerId) : [] };
};
