-- ctr_did_cells rows (preagg/ctr-units.ts, migration 011) of the control units in the units placeholder (a relation
-- of sku_id, category, live_day: sql/ctr_did_units.sql): the difference-in-differences control of
-- metrics/sql/ctr_did_control.sql for one cohort (category, live day L), summed — each unit's window
-- sums as there, the cell holds the unit count and ctr_moments.sql's sums (BIGINT per cell: an
-- overflow is an error, never silent). A request's control for a group = the sum of the cells of its
-- cohorts, so it reads these rows instead of searching all SKUs of a category per cohort.
WITH win AS (
  SELECT u.category, u.live_day, u.sku_id,
    coalesce(sum(x.clicks) FILTER (WHERE x.date < u.live_day), 0)::BIGINT AS b_clicks,
    coalesce(sum(x.add_to_cart) FILTER (WHERE x.date < u.live_day), 0)::BIGINT AS b_atc,
    coalesce(sum(x.impressions) FILTER (WHERE x.date < u.live_day), 0)::BIGINT AS b_impr,
    coalesce(sum(x.clicks) FILTER (WHERE x.date >= u.live_day), 0)::BIGINT AS r_clicks,
    coalesce(sum(x.add_to_cart) FILTER (WHERE x.date >= u.live_day), 0)::BIGINT AS r_atc,
    coalesce(sum(x.impressions) FILTER (WHERE x.date >= u.live_day), 0)::BIGINT AS r_impr
  FROM {{units}} u
  JOIN ctr_daily x ON x.sku_id = u.sku_id AND x.date BETWEEN u.live_day - 7 AND u.live_day + 29
  GROUP BY u.category, u.live_day, u.sku_id
)
SELECT category, live_day, count(*)::BIGINT AS units,
  sum(b_clicks)::BIGINT AS bc,
  sum(b_atc)::BIGINT AS ba,
  sum(b_impr)::BIGINT AS bi,
  sum(r_clicks)::BIGINT AS rc,
  sum(r_atc)::BIGINT AS ra,
  sum(r_impr)::BIGINT AS ri,
  sum(b_clicks * b_clicks)::BIGINT AS bc_bc,
  sum(b_clicks * b_impr)::BIGINT AS bc_bi,
  sum(b_clicks * r_clicks)::BIGINT AS bc_rc,
  sum(b_clicks * r_impr)::BIGINT AS bc_ri,
  sum(b_impr * b_impr)::BIGINT AS bi_bi,
  sum(b_impr * r_clicks)::BIGINT AS bi_rc,
  sum(b_impr * r_impr)::BIGINT AS bi_ri,
  sum(r_clicks * r_clicks)::BIGINT AS rc_rc,
  sum(r_clicks * r_impr)::BIGINT AS rc_ri,
  sum(r_impr * r_impr)::BIGINT AS ri_ri,
  sum(b_atc * b_atc)::BIGINT AS ba_ba,
  sum(b_atc * b_impr)::BIGINT AS ba_bi,
  sum(b_atc * r_atc)::BIGINT AS ba_ra,
  sum(b_atc * r_impr)::BIGINT AS ba_ri,
  sum(b_impr * r_atc)::BIGINT AS bi_ra,
  sum(r_atc * r_atc)::BIGINT AS ra_ra,
  sum(r_atc * r_impr)::BIGINT AS ra_ri
FROM win
GROUP BY category, live_day
