-- Overview incentive tile: orders whose window closes in [$inc_from, $inc_to] (before $today)
-- that can earn an incentive. Every order left out is decided 0 by decideIncentiveFromSums
-- (refunded, not live, no image fee, < 1,000 impressions in a window, baseline CTR 0, lift below
-- the first tier: tierRatePercent's exact integer test). The significance test is settled here
-- when its answer cannot depend on t: Welch–Satterthwaite df of the 29 + 6 day-df parts lies in
-- [6, 35], so t(0.95, df) is in [1.6896, 1.9432]; lift − 1.95·se > 0 is significant for every
-- such t, lift − 1.68·se < 0 never is. Those (settled) are summed here with the tier amount
-- (applyRatio half-up); the rest come back one row each for decideIncentiveFromSums in JS.
WITH c AS (
  SELECT o.order_id, o.f_live_day AS live_day, o.f_close_day AS close_day,
    coalesce(o.f_image_fee, 0)::BIGINT AS image_fee,
    w.b_impr, w.b_clicks, w.b_nn, w.b_cc, w.b_cn, w.r_impr, w.r_clicks, w.r_nn, w.r_cc, w.r_cn,
    w.b_clicks / w.b_impr AS br, w.r_clicks / w.r_impr AS rr,
    (7.0 / 6.0) * ((w.b_impr::HUGEINT * w.b_impr * w.b_cc - 2 * w.b_impr::HUGEINT * w.b_clicks * w.b_cn + w.b_clicks::HUGEINT * w.b_clicks * w.b_nn)::DOUBLE) / (w.b_impr::DOUBLE ^ 4) AS bvar,
    (30.0 / 29.0) * ((w.r_impr::HUGEINT * w.r_impr * w.r_cc - 2 * w.r_impr::HUGEINT * w.r_clicks * w.r_cn + w.r_clicks::HUGEINT * w.r_clicks * w.r_nn)::DOUBLE) / (w.r_impr::DOUBLE ^ 4) AS rvar,
    CASE
      WHEN 100::HUGEINT * w.r_clicks * w.b_impr >= 130::HUGEINT * w.b_clicks * w.r_impr THEN 30
      WHEN 100::HUGEINT * w.r_clicks * w.b_impr >= 115::HUGEINT * w.b_clicks * w.r_impr THEN 20
      ELSE 10
    END AS tier_rate
  FROM order_facts o
  JOIN order_windows w ON w.order_id = o.order_id
  WHERE o.f_close_day BETWEEN CAST($inc_from AS DATE) AND CAST($inc_to AS DATE)
    AND o.f_close_day < CAST($today AS DATE)
    AND NOT o.f_refunded AND o.f_live_day IS NOT NULL AND coalesce(o.f_image_fee, 0) > 0
    AND w.b_impr >= 1000 AND w.r_impr >= 1000 AND w.b_clicks > 0
    AND 100::HUGEINT * w.r_clicks * w.b_impr >= 105::HUGEINT * w.b_clicks * w.r_impr
    {{and_where}}
),
s AS (
  SELECT *, rr / br - 1 AS lift, sqrt(rvar / (br * br) + (rr * rr * bvar) / (br ^ 4)) AS se FROM c
),
d AS (
  SELECT *, CASE WHEN lift - 1.95 * se > 0 THEN 'yes' WHEN lift - 1.68 * se < 0 THEN 'no' ELSE 'ask' END AS settled FROM s
)
SELECT close_day, sum((image_fee * tier_rate + 50) // 100)::BIGINT AS settled_fen,
  NULL AS order_id, NULL::DATE AS live_day, NULL::BIGINT AS image_fee,
  NULL::BIGINT AS b_impr, NULL::BIGINT AS b_clicks, NULL::BIGINT AS b_nn, NULL::BIGINT AS b_cc, NULL::BIGINT AS b_cn,
  NULL::BIGINT AS r_impr, NULL::BIGINT AS r_clicks, NULL::BIGINT AS r_nn, NULL::BIGINT AS r_cc, NULL::BIGINT AS r_cn
FROM d WHERE settled = 'yes' GROUP BY close_day
UNION ALL
SELECT close_day, NULL, order_id, live_day, image_fee, b_impr, b_clicks, b_nn, b_cc, b_cn, r_impr, r_clicks, r_nn, r_cc, r_cn
FROM d WHERE settled = 'ask'
