-- The DiD control from the pre-aggregated cells (preagg/sql/ctr_did_cells.sql, one row per
-- (category, live day) = cohort): the same group moments as ctr_did_control.sql + ctr_moments.sql
-- over its control units (each measurable, no order id). Appended to a query that defines
-- `treated(key, category, live_day)`; cohorts without a control unit have no cell, as they have
-- no unit there.
, cohorts AS (SELECT DISTINCT key, category, live_day FROM treated)
SELECT key, NULL AS name, NULL::VARCHAR AS first_order_id, sum(c.units)::BIGINT AS live_orders,
  sum(c.units)::BIGINT AS n,
  sum(c.bc)::VARCHAR AS bc, sum(c.ba)::VARCHAR AS ba, sum(c.bi)::VARCHAR AS bi,
  sum(c.rc)::VARCHAR AS rc, sum(c.ra)::VARCHAR AS ra, sum(c.ri)::VARCHAR AS ri,
  sum(c.bc_bc)::VARCHAR AS bc_bc, sum(c.bc_bi)::VARCHAR AS bc_bi, sum(c.bc_rc)::VARCHAR AS bc_rc, sum(c.bc_ri)::VARCHAR AS bc_ri,
  sum(c.bi_bi)::VARCHAR AS bi_bi, sum(c.bi_rc)::VARCHAR AS bi_rc, sum(c.bi_ri)::VARCHAR AS bi_ri,
  sum(c.rc_rc)::VARCHAR AS rc_rc, sum(c.rc_ri)::VARCHAR AS rc_ri, sum(c.ri_ri)::VARCHAR AS ri_ri,
  sum(c.ba_ba)::VARCHAR AS ba_ba, sum(c.ba_bi)::VARCHAR AS ba_bi, sum(c.ba_ra)::VARCHAR AS ba_ra, sum(c.ba_ri)::VARCHAR AS ba_ri,
  sum(c.bi_ra)::VARCHAR AS bi_ra, sum(c.ra_ra)::VARCHAR AS ra_ra, sum(c.ra_ri)::VARCHAR AS ra_ri
FROM cohorts
JOIN ctr_did_cells c USING (category, live_day)
GROUP BY key
