-- The DiD control units (preagg/ctr-units.ts) of the cells {{cells_where}} selects (a predicate over
-- c.category, c.live_day): one row (sku_id, category, live_day L) per SKU known from orders
-- (category: any_value over its orders, as in metrics/sql/ctr_did_control.sql) with no order live
-- within L ± 45 days and at least one ctr_daily row in L−7 … L+29 (its CTR span L ∈ [min − 29, max + 7]).
-- Eligible live days are generated per SKU as segments between its live days (L ≥ D+46 and
-- L ≤ D'−46), cut to its span: only eligible (SKU, L) pairs are made.
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
)
SELECT * FROM units
