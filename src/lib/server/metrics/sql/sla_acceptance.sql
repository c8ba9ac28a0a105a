-- Acceptance: final delivery → explicit decision (accepted, or a dispute opened) within 72 h.
-- "met" = decided explicitly; "breached" = auto-accepted at delivery + 72 h (no breach in the
-- business sense: the measures of this SLA are named explicit / auto). accepted_at exactly at
-- delivery + 72 h is the auto-acceptance itself.
SELECT od.*, od.order_id AS item_id, od.delivered_at AS start_at,
  least(
    CASE WHEN d.opened_at <= od.delivered_at + INTERVAL 72 HOUR THEN d.opened_at END,
    CASE WHEN od.accepted_at < od.delivered_at + INTERVAL 72 HOUR THEN od.accepted_at END
    ) AS stop_raw,
  od.delivered_at + INTERVAL 72 HOUR AS deadline, false AS beyond_calendar, NULL::INTEGER AS missing_year
FROM od
LEFT JOIN disputes d USING (order_id)
WHERE od.delivered_at IS NOT NULL
