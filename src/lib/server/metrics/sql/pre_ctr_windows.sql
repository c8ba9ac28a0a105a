-- ctr_windows.sql over the pre-aggregates: ctr_units holds one row per live order with its
-- dimensions (order_facts), live day, close day, refunded and window sums (order_windows),
-- joined once when the pre-aggregates are refreshed. "measurable" (today-dependent) is still
-- decided here. The seller scope is one of the request clauses (compile.ts filterWhere).
SELECT u.* EXCLUDE (qual, b_nn, b_cc, b_cn, b_aa, b_an, r_nn, r_cc, r_cn, r_aa, r_an),
  -- the per-order significance test of the orders page, from sums (incentive-sums.ts)
  b_nn AS w_b_nn, b_cc AS w_b_cc, b_cn AS w_b_cn, b_aa AS w_b_aa, b_an AS w_b_an,
  r_nn AS w_r_nn, r_cc AS w_r_cc, r_cn AS w_r_cn, r_aa AS w_r_aa, r_an AS w_r_an,
  (qual AND window_closed_on < CAST($today AS DATE)) AS measurable
FROM ctr_units u
WHERE true {{and_where}}
