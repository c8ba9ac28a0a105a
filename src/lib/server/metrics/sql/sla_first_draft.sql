-- First draft: published → first draft, no target (hours against the 42.6 h platform average).
SELECT od.*, od.order_id AS item_id, od.published_at AS start_at, od.first_draft_at AS stop_raw,
  NULL::TIMESTAMPTZ AS deadline, false AS beyond_calendar, NULL::INTEGER AS missing_year
FROM od
WHERE od.cancelled_at IS NULL OR od.first_draft_at IS NOT NULL
