-- ctr_did_cells rows (preagg/ctr-units.ts, migration 011) of the cells {{cells_where}} selects (a predicate over
-- category, live_day): the difference-in-differences control of metrics/sql/ctr_did_control.sql
-- for one cohort (category, live day L), summed. A control unit = a SKU known from orders
-- (category: any_value over its orders, as there) with no order live within L ± 45 days and at
-- least one ctr_daily row in L−7 … L+29; its window sums as there, the cell holds the unit count
-- and ctr_moments.sql's sums (BIGINT per cell: an overflow is an error, never silent).
-- A request's control for a group = the sum of the cells of its cohorts, so it reads these rows
-- instead of searching all SKUs of a category per cohort.
-- Eligible live days are generated per SKU as segments between its live days (L ≥ D+46 and
-- L ≤ D'−46), cut to L−7 … L+29 touching its CTR data: only eligible (SKU, L) pairs are made.
WITH sku_cat AS (SELECT sku_id, any_value(category) AS category FROM order_facts GROUP BY sku_id),
sku_live AS (SELECT DISTINCT sku_id, live_at::DATE AS live_day FROM order_facts WHERE live_at IS NOT NULL),
span AS (
  SELECT sku_id, min(date) - 29 AS lo, max(date) + 7 AS hi
  FROM ctr_daily WHERE sku_id IN (SELECT sku_id FROM sku_cat) GROUP BY sku_id
),
lv AS (SELECT sku_id, live_day, lag(live_day) OVER (PARTITION BY sku_id ORDER BY live_day) AS prev FROM sku_live),
seg AS (
  SELECT sku_id, prev + 46 AS a, live_day - 46 AS b FROM lv
  UNION ALL
  SELECT sku_id, max(live_day) + 46 AS a, NULL AS b FROM sku_live GROUP BY sku_id
  UNION ALL
  SELECT sku_id, NULL AS a, NULL AS b FROM sku_cat WHERE sku_id NOT IN (SELECT sku_id FROM sku_live)
),
cand AS (
  SELECT seg.sku_id, c.category, greatest(coalesce(seg.a, span.lo), span.lo) AS a, least(coalesce(seg.b, span.hi), span.hi) AS b
  FROM seg JOIN span USING (sku_id) JOIN sku_cat c USING (sku_id)
),
units AS (
  SELECT sku_id, category, live_day FROM (
    SELECT sku_id, category, (a + unnest(range(0, b - a + 1))::INTEGER) AS live_day FROM cand WHERE a <= b
  ) c
  WHERE {{cells_where}}
),
win AS (
  SELECT u.category, u.live_day, u.sku_id,
    coalesce(sum(x.clicks) FILTER (WHERE x.date < u.live_day), 0)::BIGINT AS b_clicks,
    coalesce(sum(x.add_to_cart) FILTER (WHERE x.date < u.live_day), 0)::BIGINT AS b_atc,
    coalesce(sum(x.impressions) FILTER (WHERE x.date < u.live_day), 0)::BIGINT AS b_impr,
    coalesce(sum(x.clicks) FILTER (WHERE x.date >= u.live_day), 0)::BIGINT AS r_clicks,
    coalesce(sum(x.add_to_cart) FILTER (WHERE x.date >= u.live_day), 0)::BIGINT AS r_atc,
    coalesce(sum(x.impressions) FILTER (WHERE x.date >= u.live_day), 0)::BIGINT AS r_impr
  FROM units u
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
