-- Day-level counts of the two windows of a few orders (for the per-order significance test and
-- the order page): k = day − L, from $k_from to $k_to; missing days are 0.
SELECT o.order_id, r.k::INTEGER AS k, o.live_at::DATE + r.k::INTEGER AS date,
  coalesce(c.impressions, 0) AS impressions, coalesce(c.clicks, 0) AS clicks, coalesce(c.add_to_cart, 0) AS add_to_cart
FROM orders o
CROSS JOIN range($k_from, $k_to + 1) r(k)
LEFT JOIN ctr_daily c ON c.sku_id = o.sku_id AND c.date = o.live_at::DATE + r.k::INTEGER
WHERE o.live_at IS NOT NULL AND list_contains(from_json($order_ids, '["VARCHAR"]'), o.order_id)
ORDER BY o.order_id, r.k
