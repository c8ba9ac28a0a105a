-- Reason mix: one row per revision, with its order's dimensions.
SELECT od.*, r.requested_at, r.reason_code, r.redelivered_at
FROM revisions r
JOIN od USING (order_id)
