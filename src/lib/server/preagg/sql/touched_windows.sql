-- Live orders whose windows a load changed: touched orders (live day, SKU may have moved) and
-- orders on a SKU whose ctr_daily rows changed within L−7 … L+29 (a per-SKU date span: a superset).
CREATE OR REPLACE TEMP TABLE _preagg_touched_w AS
SELECT order_id FROM _preagg_touched
UNION
SELECT o.order_id
FROM orders o
JOIN (SELECT sku_id, min(date) AS lo, max(date) AS hi FROM ctr_daily WHERE _load_id > $since GROUP BY sku_id) c ON c.sku_id = o.sku_id
WHERE o.live_at IS NOT NULL AND o.live_at::DATE - 7 <= c.hi AND o.live_at::DATE + 29 >= c.lo
