/** Labels of the domain's preset codes (domain.md), for mixes and breach lists. */
export const REASON_LABELS: Record<string, string> = {
	R01: 'Model skin tone not as required',
	R02: 'Background whiteness below 95%',
	R03: 'Product colour differs from the real item',
	R04: 'Wrong size, proportion or crop',
	R05: 'Missing angles or details',
	R06: 'Style does not match the reference images',
	R07: 'Retouching quality (dust, edges, reflections)',
	R08: 'Text or typesetting error in an embedded language',
	R09: 'Compliance mark missing or misplaced (CE, WEEE, Prop 65)',
	R10: 'Text below the market’s minimum size',
	R11: 'Resolution or file format wrong',
	R12: 'Other'
};

export const RULING_LABELS: Record<string, string> = {
	provider_fault: 'Provider fault (refund + ¥200 credit)',
	unclear_requirement: 'Unclear requirement (seller guidance)',
	rejected: 'Rejection dismissed'
};
