-- Applies "today" to SLA items at query time (never stored): an item with a stop is met or
-- breached against its deadline; without one it is breached once $now passes the deadline, at
-- risk once 75% of its allowance (start → deadline, in hours) has passed, else open.
-- Durations as epoch_us differences: TIMESTAMPTZ − TIMESTAMPTZ goes through ICU, ~25 µs a row.
-- Stops after $now are treated as not yet happened, so an as-of date in the past is consistent.
-- hours_us: the same duration in exact microseconds (means are sums of it ÷ count, so a monthly
-- rollup's sums give the very same mean).
SELECT i.*,
  CASE WHEN i.stop_raw <= CAST($now AS TIMESTAMPTZ) THEN i.stop_raw END AS stop_at,
  CASE WHEN i.stop_raw <= CAST($now AS TIMESTAMPTZ) THEN ((epoch_us(i.stop_raw) - epoch_us(i.start_at)) / 1e6) / 3600.0 END AS hours,
  CASE WHEN i.stop_raw <= CAST($now AS TIMESTAMPTZ) THEN epoch_us(i.stop_raw) - epoch_us(i.start_at) END AS hours_us,
  ((epoch_us(i.deadline) - epoch_us(i.start_at)) / 1e6) / 3600.0 AS allowance_hours,
  CASE
    WHEN i.deadline IS NULL THEN NULL
    WHEN i.stop_raw <= CAST($now AS TIMESTAMPTZ) THEN CASE WHEN i.stop_raw <= i.deadline THEN 'met' ELSE 'breached' END
    WHEN CAST($now AS TIMESTAMPTZ) > i.deadline THEN 'breached'
    WHEN ((epoch_us(CAST($now AS TIMESTAMPTZ)) - epoch_us(i.start_at)) / 1e6) >= 0.75 * ((epoch_us(i.deadline) - epoch_us(i.start_at)) / 1e6) THEN 'at_risk'
    ELSE 'open'
  END AS state
FROM ({{items}}) i
WHERE i.start_at <= CAST($now AS TIMESTAMPTZ)
