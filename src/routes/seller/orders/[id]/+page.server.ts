import type { PageServerLoad } from './$types';
import { error } from '@sveltejs/kit';
import { getEngine } from '$lib/server/app';
import { today } from '$lib/server/clock';
import { requireUser, scopeFor } from '$lib/server/auth/guard';
import { orderStory } from '$lib/server/metrics';

// The seller's own order only: the scope makes another seller's order a 404, never a 403.
export const load: PageServerLoad = async ({ params, locals }) => {
	const scope = scopeFor(requireUser(locals));
	const story = await orderStory(await getEngine(), params.id, scope, today());
	if (!story) error(404, 'order not found');
	return { id: params.id, story };
};
