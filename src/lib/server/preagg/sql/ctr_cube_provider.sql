-- ctr_cube_provider rows of the live days {{days_where}} selects (a predicate over ctr_units):
-- ctr_cube.sql with (live day, provider id, provider name) as the cell instead of the coarse
-- dimensions, for CTR by provider and provider filters without a seller (~8x fewer rows than
-- ctr_units at scale 100). The name is part of the cell so a group's name is exactly
-- arg_min(provider_name, order_id) of its orders: arg_min(provider_name, first_order_id) of its cells.
SELECT live_day, any_value(live_day::TIMESTAMPTZ) AS live_at, any_value(window_closed_on) AS window_closed_on,
  provider_id, provider_name,
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
GROUP BY live_day, provider_id, provider_name
