-- CTR cube rows of the live days {{days_where}} selects (a predicate over ctr_units), one per live
-- day and {{cell}}: the cell's order count, first order and the moments of its qual orders
-- (metrics/sql/ctr_moments.sql's sums with qual in place of measurable; the cell's close day
-- decides measurable at query time). ctr-units.ts CELLS names each cube's cell:
--   ctr_cube           category, region, image_type, form_filled, first_order
--   ctr_cube_provider  provider_id, provider_name (the name is part of the cell, so a group's name
--                      is exactly arg_min(provider_name, order_id) of its orders: arg_min(provider_name,
--                      first_order_id) of its cells); ~8x fewer rows than ctr_units at scale 100.
SELECT live_day, any_value(live_day::TIMESTAMPTZ) AS live_at, any_value(window_closed_on) AS window_closed_on,
  {{cell}},
  count(*) AS live_orders, min(order_id) AS first_order_id, sum(q)::BIGINT AS n,
  sum(q * b_clicks)::BIGINT AS bc,
  sum(q * b_atc)::BIGINT AS ba,
  sum(q * b_impr)::BIGINT AS bi,
  sum(q * r_clicks)::BIGINT AS rc,
  sum(q * r_atc)::BIGINT AS ra,
  sum(q * r_impr)::BIGINT AS ri,
  sum(q * b_clicks * b_clicks)::BIGINT AS bc_bc,
  sum(q * b_clicks * b_impr)::BIGINT AS bc_bi,
  sum(q * b_clicks * r_clicks)::BIGINT AS bc_rc,
  sum(q * b_clicks * r_impr)::BIGINT AS bc_ri,
  sum(q * b_impr * b_impr)::BIGINT AS bi_bi,
  sum(q * b_impr * r_clicks)::BIGINT AS bi_rc,
  sum(q * b_impr * r_impr)::BIGINT AS bi_ri,
  sum(q * r_clicks * r_clicks)::BIGINT AS rc_rc,
  sum(q * r_clicks * r_impr)::BIGINT AS rc_ri,
  sum(q * r_impr * r_impr)::BIGINT AS ri_ri,
  sum(q * b_atc * b_atc)::BIGINT AS ba_ba,
  sum(q * b_atc * b_impr)::BIGINT AS ba_bi,
  sum(q * b_atc * r_atc)::BIGINT AS ba_ra,
  sum(q * b_atc * r_impr)::BIGINT AS ba_ri,
  sum(q * b_impr * r_atc)::BIGINT AS bi_ra,
  sum(q * r_atc * r_atc)::BIGINT AS ra_ra,
  sum(q * r_atc * r_impr)::BIGINT AS ra_ri
FROM (SELECT *, qual::BIGINT AS q FROM ctr_units WHERE {{days_where}})
GROUP BY live_day, {{cell}}
