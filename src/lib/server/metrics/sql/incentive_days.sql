-- The 7 + 30 days of every selected live order (k = day − L, −7 … 29), zero-filled.
SELECT sel.order_id, r.k::INTEGER AS k,
  coalesce(c.impressions, 0) AS impressions, coalesce(c.clicks, 0) AS clicks, coalesce(c.add_to_cart, 0) AS add_to_cart
FROM sel
CROSS JOIN range(-7, 30) r(k)
LEFT JOIN ctr_daily c ON c.sku_id = sel.sku_id AND c.date = sel.live_day + r.k::INTEGER
WHERE sel.live_day IS NOT NULL
ORDER BY sel.order_id, r.k
