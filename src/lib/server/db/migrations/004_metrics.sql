-- Metrics layer (src/lib/server/metrics): the on-time delivery deadline of every order, once, in SQL.
-- Deadline = 24:00 Asia/Shanghai of the N-th working day after the publishing day (the publishing
-- day does not count): the day whose workday_seq = seq(publishing day) + N and is_workday.
-- Rush: published_at + 24 h. Past the calendar's last day, the remaining working days are counted
-- on weekdays only, and the row says so (beyond_calendar, missing_year) so figures can be flagged.
-- src/lib/calendar.ts addWorkdays is the same rule in TypeScript (tested equal).
CREATE OR REPLACE VIEW order_deadlines AS
WITH cal AS (
  SELECT max(day) AS last_day, max(workday_seq) AS last_seq FROM calendar_days
),
o AS (
  SELECT o.order_id, o.published_at, o.rush, o.delivery_days, o.published_at::DATE AS pub_day,
    c1.workday_seq AS pub_seq, cal.last_day, cal.last_seq
  FROM orders o
  CROSS JOIN cal
  LEFT JOIN calendar_days c1 ON c1.day = o.published_at::DATE
),
r AS (
  SELECT o.*,
    CASE WHEN o.pub_seq IS NULL THEN o.delivery_days ELSE o.delivery_days - (o.last_seq - o.pub_seq) END AS remaining
  FROM o
)
SELECT
  r.order_id,
  r.pub_day,
  r.rush,
  r.delivery_days,
  CASE
    WHEN r.rush THEN NULL
    WHEN r.remaining <= 0 THEN c2.day
    ELSE greatest(r.pub_day, r.last_day)
      + list_filter(range(1, r.remaining * 2 + 8), i -> isodow(greatest(r.pub_day, r.last_day) + i::INTEGER) < 6)[r.remaining]::INTEGER
  END AS target_day,
  CASE
    WHEN r.rush THEN r.published_at + INTERVAL 24 HOUR
    WHEN r.remaining <= 0 THEN (c2.day + 1)::TIMESTAMPTZ
    ELSE (greatest(r.pub_day, r.last_day) + 1
      + list_filter(range(1, r.remaining * 2 + 8), i -> isodow(greatest(r.pub_day, r.last_day) + i::INTEGER) < 6)[r.remaining]::INTEGER)::TIMESTAMPTZ
  END AS deadline,
  (NOT r.rush AND r.remaining > 0) AS beyond_calendar,
  CASE WHEN NOT r.rush AND r.remaining > 0 THEN year(greatest(r.pub_day, r.last_day) + 1) END AS missing_year
FROM r
LEFT JOIN calendar_days c2 ON c2.workday_seq = r.pub_seq + r.delivery_days AND c2.is_workday;
