-- One row per order with every dimension a metric can group or filter by.
-- first_order: the seller's earliest published order (ties broken by order_id).
SELECT
  o.*,
  o.spec_form_filled AS form_filled,
  row_number() OVER (PARTITION BY o.seller_id ORDER BY o.published_at, o.order_id) = 1 AS first_order,
  s.region,
  s.name AS seller_name,
  p.name AS provider_name
FROM orders o
LEFT JOIN sellers s ON s.seller_id = o.seller_id
LEFT JOIN providers p ON p.provider_id = o.provider_id
