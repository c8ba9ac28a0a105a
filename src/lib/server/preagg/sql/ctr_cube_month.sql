-- A CTR month cube's rows (ctr_cube_month / ctr_cube_provider_month, migration 011) of the months
-- {{months_where}} selects (a predicate over the day cube's live_day): the day cube {{day_cube}}
-- summed per calendar month of the live day and {{cell}} (ctr-units.ts CELLS). live_at is the
-- month's first Shanghai midnight (the time dimensions of compile.ts apply to it) and
-- window_closed_on the month's last close day (last day + 29): a request reads a month row only
-- for a whole month of its range whose live days' windows are all closed or all open on its
-- today (metrics/sql/ctr_cube_source.sql), so the cell's m is its days' m. BIGINT sums of BIGINT
-- sums (an overflow is an error at build, never silent).
SELECT month, month_end, any_value(month::TIMESTAMPTZ) AS live_at, any_value(month_end + 29) AS window_closed_on,
  {{cell}},
  sum(live_orders)::BIGINT AS live_orders, min(first_order_id) AS first_order_id, sum(n)::BIGINT AS n,
  sum(bc)::BIGINT AS bc, sum(ba)::BIGINT AS ba, sum(bi)::BIGINT AS bi, sum(rc)::BIGINT AS rc, sum(ra)::BIGINT AS ra, sum(ri)::BIGINT AS ri,
  sum(bc_bc)::BIGINT AS bc_bc, sum(bc_bi)::BIGINT AS bc_bi, sum(bc_rc)::BIGINT AS bc_rc, sum(bc_ri)::BIGINT AS bc_ri,
  sum(bi_bi)::BIGINT AS bi_bi, sum(bi_rc)::BIGINT AS bi_rc, sum(bi_ri)::BIGINT AS bi_ri,
  sum(rc_rc)::BIGINT AS rc_rc, sum(rc_ri)::BIGINT AS rc_ri, sum(ri_ri)::BIGINT AS ri_ri,
  sum(ba_ba)::BIGINT AS ba_ba, sum(ba_bi)::BIGINT AS ba_bi, sum(ba_ra)::BIGINT AS ba_ra, sum(ba_ri)::BIGINT AS ba_ri,
  sum(bi_ra)::BIGINT AS bi_ra, sum(ra_ra)::BIGINT AS ra_ra, sum(ra_ri)::BIGINT AS ra_ri
FROM (SELECT *, date_trunc('month', live_day)::DATE AS month, last_day(live_day) AS month_end FROM {{day_cube}} WHERE {{months_where}})
GROUP BY month, month_end, {{cell}}
