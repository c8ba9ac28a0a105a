-- Reference for test/integration/preagg/order-windows.test.ts: the former order_windows.sql (a 37-day
-- grid per live order LEFT JOINed to ctr_daily), kept as the oracle of the rewritten build.
WITH lo AS (
  SELECT order_id, sku_id, live_at::DATE AS live_day FROM orders WHERE live_at IS NOT NULL AND {{orders_where}}
),
days AS (
  SELECT lo.order_id, lo.sku_id, lo.live_day, r.k < 0 AS b, lo.live_day + r.k::INTEGER AS date
  FROM lo, range(-7, 30) r(k)
),
j AS (
  SELECT d.order_id, d.sku_id, d.live_day, d.b, c.sku_id IS NOT NULL AS has,
    coalesce(c.impressions, 0)::BIGINT AS n, coalesce(c.clicks, 0)::BIGINT AS x, coalesce(c.add_to_cart, 0)::BIGINT AS a
  FROM days d
  LEFT JOIN ctr_daily c ON c.sku_id = d.sku_id AND c.date = d.date
)
SELECT order_id, any_value(sku_id) AS sku_id, any_value(live_day) AS live_day,
  count(*) FILTER (WHERE b AND has)::INTEGER AS b_days_with_data,
  count(*) FILTER (WHERE NOT b AND has)::INTEGER AS r_days_with_data,
  coalesce(sum(n) FILTER (WHERE b), 0)::BIGINT AS b_impr,
  coalesce(sum(x) FILTER (WHERE b), 0)::BIGINT AS b_clicks,
  coalesce(sum(a) FILTER (WHERE b), 0)::BIGINT AS b_atc,
  coalesce(sum(n) FILTER (WHERE NOT b), 0)::BIGINT AS r_impr,
  coalesce(sum(x) FILTER (WHERE NOT b), 0)::BIGINT AS r_clicks,
  coalesce(sum(a) FILTER (WHERE NOT b), 0)::BIGINT AS r_atc,
  coalesce(sum(n * n) FILTER (WHERE b), 0)::BIGINT AS b_nn,
  coalesce(sum(x * x) FILTER (WHERE b), 0)::BIGINT AS b_cc,
  coalesce(sum(x * n) FILTER (WHERE b), 0)::BIGINT AS b_cn,
  coalesce(sum(a * a) FILTER (WHERE b), 0)::BIGINT AS b_aa,
  coalesce(sum(a * n) FILTER (WHERE b), 0)::BIGINT AS b_an,
  coalesce(sum(n * n) FILTER (WHERE NOT b), 0)::BIGINT AS r_nn,
  coalesce(sum(x * x) FILTER (WHERE NOT b), 0)::BIGINT AS r_cc,
  coalesce(sum(x * n) FILTER (WHERE NOT b), 0)::BIGINT AS r_cn,
  coalesce(sum(a * a) FILTER (WHERE NOT b), 0)::BIGINT AS r_aa,
  coalesce(sum(a * n) FILTER (WHERE NOT b), 0)::BIGINT AS r_an
FROM j
GROUP BY order_id
