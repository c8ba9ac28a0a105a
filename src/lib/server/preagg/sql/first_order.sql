-- first_order = the seller's earliest published order (ties by order_id), over all of a touched
-- seller's orders ({{sellers_where}}).
UPDATE order_facts f SET first_order = (x.rn = 1)
FROM (
  SELECT order_id, row_number() OVER (PARTITION BY seller_id ORDER BY published_at, order_id) AS rn
  FROM order_facts WHERE {{sellers_where}}
) x
WHERE f.order_id = x.order_id AND f.first_order IS DISTINCT FROM (x.rn = 1)
