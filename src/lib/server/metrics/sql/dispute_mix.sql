-- Ruling and reason mix: one row per dispute.
SELECT od.*, d.dispute_id, d.opened_at, d.first_response_at, d.resolved_at, d.reason_code, d.ruling,
  ((epoch_us(d.first_response_at) - epoch_us(d.opened_at)) / 1e6) / 3600.0 AS first_response_hours,
  ((epoch_us(d.resolved_at) - epoch_us(d.opened_at)) / 1e6) / 3600.0 AS arbitration_hours
FROM disputes d
JOIN od USING (order_id)
