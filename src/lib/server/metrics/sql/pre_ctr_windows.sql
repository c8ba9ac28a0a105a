-- ctr_windows.sql over the pre-aggregates: window sums from order_windows (one row per live
-- order), refunded from order_facts. "measurable" (today-dependent) is still decided here.
WITH lo AS (
  SELECT * FROM (
    SELECT od.*, od.f_live_day AS live_day, od.f_close_day AS window_closed_on, od.f_refunded AS refunded
    FROM od
  )
  WHERE live_at IS NOT NULL {{and_where}}
)
SELECT lo.*, w.b_impr, w.b_clicks, w.b_atc, w.r_impr, w.r_clicks, w.r_atc,
  -- the per-order significance test of the orders page, from sums (incentive-sums.ts)
  w.b_nn AS w_b_nn, w.b_cc AS w_b_cc, w.b_cn AS w_b_cn, w.b_aa AS w_b_aa, w.b_an AS w_b_an,
  w.r_nn AS w_r_nn, w.r_cc AS w_r_cc, w.r_cn AS w_r_cn, w.r_aa AS w_r_aa, w.r_an AS w_r_an,
  (NOT lo.refunded AND lo.window_closed_on < CAST($today AS DATE)
    AND w.b_impr >= 1000 AND w.r_impr >= 1000 AND w.b_clicks > 0) AS measurable
FROM lo
JOIN order_windows w ON w.order_id = lo.order_id
