-- order_windows rows of the live orders {{orders_where}} selects: sums over the baseline (L−7 … L−1)
-- and result (L … L+29) windows from ctr_daily; a missing day counts 0, so days with data = rows
-- matched. Shape (for scale: ~40 CTR rows per live order): the live orders are the hash join's
-- build side and ctr_daily is probed once; the sums are grouped by (the order's rowid, window), an
-- integer key and 9 plain sums, instead of 18 FILTERed sums keyed by the order_id string; orders
-- without any CTR row get their zero row from the LEFT JOINs. Squares and cross products are
-- BIGINT sums so the delta-method variance can be rebuilt exactly
-- (Σ(x·N − X·n)² = N²Σx² − 2NXΣxn + X²Σn²).
WITH lo AS (
  SELECT rowid AS k, order_id, sku_id, live_at::DATE AS live_day FROM orders WHERE live_at IS NOT NULL AND {{orders_where}}
),
s AS (
  SELECT lo.k, c.date < lo.live_day AS b,
    count(*) AS d,
    sum(c.impressions::BIGINT) AS n, sum(c.clicks::BIGINT) AS x, sum(c.add_to_cart::BIGINT) AS a,
    sum(c.impressions::BIGINT * c.impressions) AS nn, sum(c.clicks::BIGINT * c.clicks) AS xx,
    sum(c.clicks::BIGINT * c.impressions) AS xn, sum(c.add_to_cart::BIGINT * c.add_to_cart) AS aa,
    sum(c.add_to_cart::BIGINT * c.impressions) AS an
  FROM ctr_daily c
  JOIN lo ON c.sku_id = lo.sku_id AND c.date BETWEEN lo.live_day - 7 AND lo.live_day + 29
  GROUP BY ALL
)
SELECT lo.order_id, lo.sku_id, lo.live_day,
  coalesce(sb.d, 0)::INTEGER AS b_days_with_data,
  coalesce(sr.d, 0)::INTEGER AS r_days_with_data,
  coalesce(sb.n, 0)::BIGINT AS b_impr,
  coalesce(sb.x, 0)::BIGINT AS b_clicks,
  coalesce(sb.a, 0)::BIGINT AS b_atc,
  coalesce(sr.n, 0)::BIGINT AS r_impr,
  coalesce(sr.x, 0)::BIGINT AS r_clicks,
  coalesce(sr.a, 0)::BIGINT AS r_atc,
  coalesce(sb.nn, 0)::BIGINT AS b_nn,
  coalesce(sb.xx, 0)::BIGINT AS b_cc,
  coalesce(sb.xn, 0)::BIGINT AS b_cn,
  coalesce(sb.aa, 0)::BIGINT AS b_aa,
  coalesce(sb.an, 0)::BIGINT AS b_an,
  coalesce(sr.nn, 0)::BIGINT AS r_nn,
  coalesce(sr.xx, 0)::BIGINT AS r_cc,
  coalesce(sr.xn, 0)::BIGINT AS r_cn,
  coalesce(sr.aa, 0)::BIGINT AS r_aa,
  coalesce(sr.an, 0)::BIGINT AS r_an
FROM lo
LEFT JOIN s sb ON sb.k = lo.k AND sb.b
LEFT JOIN s sr ON sr.k = lo.k AND NOT sr.b
