/** Browser-side helpers for the order page: the milestone timeline and the CTR window chart data. */
export interface StoryEvent {
	at: Date | string;
	key: string;
	detail?: string;
	tone?: 'good' | 'bad';
}

type Row = Record<string, unknown>;

const MILESTONES = ['published_at', 'matched_at', 'first_draft_at', 'delivered_at', 'accepted_at', 'live_at', 'cancelled_at'] as const;

/** Every dated event of an order, oldest first. */
export function timeline(order: Row, revisions: Row[], dispute: Row | null, delisting: Row | null): StoryEvent[] {
	const ev: StoryEvent[] = [];
	for (const m of MILESTONES) if (order[m]) ev.push({ at: order[m] as Date, key: `ms.${m}`, tone: m === 'cancelled_at' ? 'bad' : m === 'live_at' ? 'good' : undefined });
	for (const r of revisions) {
		ev.push({ at: r.requested_at as Date, key: 'ms.revision_requested', detail: String(r.reason_code ?? ''), tone: 'bad' });
		if (r.redelivered_at) ev.push({ at: r.redelivered_at as Date, key: 'ms.revision_delivered' });
	}
	if (dispute) {
		ev.push({ at: dispute.opened_at as Date, key: 'ms.dispute_opened', detail: String(dispute.reason_code ?? ''), tone: 'bad' });
		if (dispute.first_response_at) ev.push({ at: dispute.first_response_at as Date, key: 'ms.dispute_first_response' });
		if (dispute.resolved_at) ev.push({ at: dispute.resolved_at as Date, key: 'ms.dispute_resolved', detail: String(dispute.ruling ?? '') });
	}
	if (delisting) {
		ev.push({ at: delisting.delisted_at as Date, key: 'ms.delisted', tone: 'bad' });
		if (delisting.accountability_started_at) ev.push({ at: delisting.accountability_started_at as Date, key: 'ms.accountability_started' });
		if (delisting.compensated_at) ev.push({ at: delisting.compensated_at as Date, key: 'ms.compensated' });
	}
	const t = (x: Date | string) => (x instanceof Date ? x.getTime() : Date.parse(x));
	return ev.sort((a, b) => t(a.at) - t(b.at));
}

export interface CtrDay {
	k: number;
	date: string;
	impressions: number;
	clicks: number;
	addToCart: number;
}

/** Daily CTR and add-to-cart rate (null on a day without impressions). */
export function dailyRates(days: CtrDay[]): { dates: string[]; ctr: (number | null)[]; atc: (number | null)[] } {
	return {
		dates: days.map((d) => d.date),
		ctr: days.map((d) => (d.impressions > 0 ? d.clicks / d.impressions : null)),
		atc: days.map((d) => (d.impressions > 0 ? d.addToCart / d.impressions : null))
	};
}
