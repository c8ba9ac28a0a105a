-- Delistings: compensation = min(claimed loss, ¥5,000.00) once compensated_at is set;
-- provider accountability must start within 48 h of the delisting ($now decides open items).
SELECT od.*, l.delisting_id, l.delisted_at, l.claimed_loss, l.accountability_started_at, l.compensated_at,
  CASE WHEN l.compensated_at IS NOT NULL THEN least(l.claimed_loss, 500000) END AS compensation_fen,
  CASE
    WHEN l.accountability_started_at IS NOT NULL AND l.accountability_started_at <= CAST($now AS TIMESTAMPTZ)
      THEN CASE WHEN l.accountability_started_at <= l.delisted_at + INTERVAL 48 HOUR THEN 'met' ELSE 'breached' END
    WHEN CAST($now AS TIMESTAMPTZ) > l.delisted_at + INTERVAL 48 HOUR THEN 'breached'
    ELSE 'open'
  END AS accountability_state
FROM delistings l
JOIN od USING (order_id)
