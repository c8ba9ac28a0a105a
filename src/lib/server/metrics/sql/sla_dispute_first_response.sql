-- Dispute first response: opened → first response, ≤ 2 h.
SELECT od.*, d.dispute_id AS item_id, d.opened_at AS start_at, d.first_response_at AS stop_raw,
  d.opened_at + INTERVAL 2 HOUR AS deadline, false AS beyond_calendar, NULL::INTEGER AS missing_year,
  d.reason_code, d.ruling
FROM disputes d
JOIN od USING (order_id)
