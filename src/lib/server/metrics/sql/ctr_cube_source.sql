-- A CTR cube's cells for a request, with m (1: the cell's qual orders are measurable, its window
-- closed before today): the day cube's cells outside the served months, and the month cube's
-- cells (the month cube, preagg/sql/ctr_cube_month.sql) for the served months — whole months of
-- the range whose live days' windows are all closed or all open today (so a month cell's m is the
-- m of each of its days). Same sums as the day cells alone, ~30x fewer rows per provider-year.
-- The whole-day / whole-month slots: that rule over a day cell's live_day / a month cell's month
-- (ctr.ts cubeSource); the and-where slot: the request's filters and range (compile.ts).
(SELECT *, (window_closed_on < CAST($today AS DATE))::BIGINT AS m FROM {{cube}} WHERE NOT ({{whole_day}}) {{and_where}}
 UNION ALL BY NAME
 SELECT *, (window_closed_on < CAST($today AS DATE))::BIGINT AS m FROM {{cube}}_month WHERE {{whole_month}} {{and_where}})
