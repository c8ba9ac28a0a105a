-- ctr_moments.sql over the preaggregated cells of a CTR cube (ctr_cube or ctr_cube_provider,
-- preagg/ctr-units.ts): the same group rows, summing the cells' sums; the name is NULL or
-- arg_min(provider_name, first_order_id) (= arg_min over the group's orders). m: a cell's qual orders are measurable iff its window closed
-- before today (the live day is part of the cell). The key is a whitelisted expression over the
-- cell's columns; the source slot is the cells with m (ctr.ts cubeSource: the day cube, or the day and
-- month cubes, sql/ctr_cube_source.sql).
SELECT {{key}} AS key, {{name}} AS name, min(first_order_id) AS first_order_id, sum(live_orders)::BIGINT AS live_orders,
  coalesce(sum(m * n), 0)::BIGINT AS n,
  coalesce(sum(m * bc), 0)::VARCHAR AS bc,
  coalesce(sum(m * ba), 0)::VARCHAR AS ba,
  coalesce(sum(m * bi), 0)::VARCHAR AS bi,
  coalesce(sum(m * rc), 0)::VARCHAR AS rc,
  coalesce(sum(m * ra), 0)::VARCHAR AS ra,
  coalesce(sum(m * ri), 0)::VARCHAR AS ri,
  coalesce(sum(m * bc_bc), 0)::VARCHAR AS bc_bc,
  coalesce(sum(m * bc_bi), 0)::VARCHAR AS bc_bi,
  coalesce(sum(m * bc_rc), 0)::VARCHAR AS bc_rc,
  coalesce(sum(m * bc_ri), 0)::VARCHAR AS bc_ri,
  coalesce(sum(m * bi_bi), 0)::VARCHAR AS bi_bi,
  coalesce(sum(m * bi_rc), 0)::VARCHAR AS bi_rc,
  coalesce(sum(m * bi_ri), 0)::VARCHAR AS bi_ri,
  coalesce(sum(m * rc_rc), 0)::VARCHAR AS rc_rc,
  coalesce(sum(m * rc_ri), 0)::VARCHAR AS rc_ri,
  coalesce(sum(m * ri_ri), 0)::VARCHAR AS ri_ri,
  coalesce(sum(m * ba_ba), 0)::VARCHAR AS ba_ba,
  coalesce(sum(m * ba_bi), 0)::VARCHAR AS ba_bi,
  coalesce(sum(m * ba_ra), 0)::VARCHAR AS ba_ra,
  coalesce(sum(m * ba_ri), 0)::VARCHAR AS ba_ri,
  coalesce(sum(m * bi_ra), 0)::VARCHAR AS bi_ra,
  coalesce(sum(m * ra_ra), 0)::VARCHAR AS ra_ra,
  coalesce(sum(m * ra_ri), 0)::VARCHAR AS ra_ri
FROM {{source}}
GROUP BY 1
