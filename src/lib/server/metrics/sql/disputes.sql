-- Dispute rate per delivered order; a delivered order has at most one dispute.
SELECT od.*, d.dispute_id, d.opened_at, d.first_response_at, d.resolved_at, d.reason_code, d.ruling,
  epoch(d.first_response_at - d.opened_at) / 3600.0 AS first_response_hours,
  epoch(d.resolved_at - d.opened_at) / 3600.0 AS arbitration_hours
FROM od
LEFT JOIN disputes d USING (order_id)
WHERE od.delivered_at IS NOT NULL
