-- sla_on_time_delivery.sql over order_facts: the order_deadlines view's deadline, stored.
SELECT od.*, od.order_id AS item_id, od.published_at AS start_at, od.delivered_at AS stop_raw,
  od.f_deadline AS deadline, od.f_beyond_calendar AS beyond_calendar, od.f_missing_year AS missing_year
FROM od
WHERE od.cancelled_at IS NULL
