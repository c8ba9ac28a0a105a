-- Daily CTR per SKU. Every ordered SKU gets rows from 14 days before its first live day (or expected
-- live day) to 45 days after its last one, never for as_of itself (a day's CTR arrives the next day).
-- Control SKUs (30% as many, same categories and dates, no new images) make difference-in-differences possible.
CREATE OR REPLACE TEMP TABLE g_sku_orders AS
SELECT sku_id, min(bid) AS n, any_value(category) AS category, arg_min(provider_id, oid) AS provider_id,
  min(live_at)::DATE AS live_day,
  min(coalesce(live_at::DATE, published_at::DATE + 5)) AS first_anchor,
  max(coalesce(live_at::DATE, published_at::DATE + 5)) AS last_anchor
FROM g_orders GROUP BY sku_id;

CREATE OR REPLACE TEMP TABLE g_skus AS
WITH treated AS (
  SELECT s.n, s.sku_id, s.category, s.live_day,
    (s.first_anchor - 14 - DATE '2000-01-01') AS dn0,
    (least(getvariable('as_of') - 1, s.last_anchor + 45) - DATE '2000-01-01') AS dn1,
    CASE WHEN u('nolift', s.n) < 0.15 THEN 0
         ELSE getvariable('lift_scale') * p.quality
              * [0.42, 0.35, 0.36, 0.38, 0.40, 0.30, 0.48][list_position(['apparel', 'shoes_bags', 'home', 'toys', 'beauty', 'electronics', 'jewelry'], s.category)]
              * exp(0.35 * nrm('lift', s.n) - 0.06125) END AS lift_c
  FROM g_sku_orders s JOIN g_providers p USING (provider_id)
), ctl AS (
  -- each control mirrors an ordered SKU's category and dates (a spread-out third of them)
  SELECT mx + m AS n, NULL::DATE AS live_day, 0.0 AS lift_c, t.category, t.dn0, t.dn1
  FROM (SELECT min(n) AS mn, max(n) AS mx, count(*) AS cnt FROM treated) k,
       LATERAL (SELECT m, mn + floor((m - 0.5) / 0.3)::BIGINT AS src FROM range(1, CAST(round(0.3 * cnt) AS BIGINT) + 1) r(m)) c
  JOIN treated t ON t.n = c.src
), alls AS (
  SELECT n, sku_id, live_day, lift_c, dn0, dn1 FROM treated
  UNION ALL SELECT n, 'SKU' || lpad(n::VARCHAR, 9, '0'), live_day, lift_c, dn0, dn1 FROM ctl
)
SELECT a.*,
  (live_day - DATE '2000-01-01') AS dn_live,
  0.005 * pow(8, u('ctr0', n)) AS ctr0,
  300 * pow(10, u('imp0', n)) AS imp0,
  0.08 + 0.07 * u('cvr0', n) AS cvr0,
  -- add-to-cart rate (per impression) rises by ~28.5/37.2 of the CTR lift: per click it slightly falls
  (1 + lift_c * 0.766 * exp(0.1 * nrm('liftA', n) - 0.005)) / (1 + lift_c) AS cvr_mult
FROM alls a
WHERE dn1 >= dn0
ORDER BY sku_id;

DROP TABLE g_sku_orders;
