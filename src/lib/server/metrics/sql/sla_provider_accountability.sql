-- Provider accountability: delisting → accountability started, ≤ 48 h.
SELECT od.*, l.delisting_id AS item_id, l.delisted_at AS start_at, l.accountability_started_at AS stop_raw,
  l.delisted_at + INTERVAL 48 HOUR AS deadline, false AS beyond_calendar, NULL::INTEGER AS missing_year
FROM delistings l
JOIN od USING (order_id)
