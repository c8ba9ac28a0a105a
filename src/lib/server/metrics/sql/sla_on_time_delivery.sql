-- On-time delivery: published → final delivery, deadline from the order_deadlines view
-- (migration 004). Cancelled orders have no delivery to measure and are left out.
SELECT od.*, od.order_id AS item_id, od.published_at AS start_at, od.delivered_at AS stop_raw,
  d.deadline, d.beyond_calendar, d.missing_year
FROM od
JOIN order_deadlines d USING (order_id)
WHERE od.cancelled_at IS NULL
