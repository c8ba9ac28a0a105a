-- Difference-in-differences control: for each (category, live day) cohort of the treated
-- orders, the SKUs of the same category with no order live within ±45 days of that day, summed
-- over the same calendar windows (unit = control SKU per cohort). Appended to a query that defines
-- `treated(key, category, live_day)`; defines ctrl_units (one row per control unit, all of them
-- measurable) for ctr_moments.sql.
, cohorts AS (SELECT DISTINCT key, category, live_day FROM treated),
sku_cat AS (SELECT sku_id, any_value(category) AS category FROM od GROUP BY sku_id),
sku_live AS (SELECT DISTINCT sku_id, live_at::DATE AS live_day FROM od WHERE live_at IS NOT NULL),
ctrl_skus AS (
  SELECT c.key, c.category, c.live_day, s.sku_id
  FROM cohorts c
  JOIN sku_cat s ON s.category = c.category
  WHERE NOT EXISTS (
    SELECT 1 FROM sku_live l WHERE l.sku_id = s.sku_id AND l.live_day BETWEEN c.live_day - 45 AND c.live_day + 45
  )
),
ctrl AS (
  SELECT cs.key,
    coalesce(sum(x.clicks) FILTER (WHERE x.date < cs.live_day), 0)::BIGINT AS b_clicks,
    coalesce(sum(x.add_to_cart) FILTER (WHERE x.date < cs.live_day), 0)::BIGINT AS b_atc,
    coalesce(sum(x.impressions) FILTER (WHERE x.date < cs.live_day), 0)::BIGINT AS b_impr,
    coalesce(sum(x.clicks) FILTER (WHERE x.date >= cs.live_day), 0)::BIGINT AS r_clicks,
    coalesce(sum(x.add_to_cart) FILTER (WHERE x.date >= cs.live_day), 0)::BIGINT AS r_atc,
    coalesce(sum(x.impressions) FILTER (WHERE x.date >= cs.live_day), 0)::BIGINT AS r_impr
  FROM ctrl_skus cs
  JOIN ctr_daily x ON x.sku_id = cs.sku_id AND x.date BETWEEN cs.live_day - 7 AND cs.live_day + 29
  GROUP BY cs.key, cs.category, cs.live_day, cs.sku_id
),
ctrl_units AS (SELECT *, true AS measurable, NULL::VARCHAR AS order_id FROM ctrl)
