-- ctr_totals.sql over the cells of a CTR cube (ctr_cube or ctr_cube_provider, see
-- ctr_moments_cube.sql): the cells' sums over their qual orders, counted when the cell's window
-- closed before today. The integer sums equal those of the measurable orders, so the doubles and
-- the divisions are those of ctr_totals.sql. The cells with m (the source slot) come from ctr.ts cubeSource.
SELECT coalesce(sum(m * n), 0)::BIGINT AS measurable_orders,
  sum(m * rc)::DOUBLE / nullif(sum(m * ri), 0) / nullif(sum(m * bc)::DOUBLE / nullif(sum(m * bi), 0), 0) - 1 AS ctr_lift,
  sum(m * ra)::DOUBLE / nullif(sum(m * ri), 0) / nullif(sum(m * ba)::DOUBLE / nullif(sum(m * bi), 0), 0) - 1 AS atc_lift
FROM {{source}}
