-- Arbitration: opened → ruling (resolved_at), ≤ 48 h; platform average 31.2 h.
SELECT od.*, d.dispute_id AS item_id, d.opened_at AS start_at, d.resolved_at AS stop_raw,
  d.opened_at + INTERVAL 48 HOUR AS deadline, false AS beyond_calendar, NULL::INTEGER AS missing_year,
  d.reason_code, d.ruling
FROM disputes d
JOIN od USING (order_id)
