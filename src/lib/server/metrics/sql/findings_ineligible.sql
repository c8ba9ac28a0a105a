-- Sellers that fail domain "Eligibility", with the rules they fail and their order counts.
-- Individual businesses are excluded since 2024-07-01: an individual whose service opened
-- before that day is grandfathered (not flagged for entity type).
SELECT s.seller_id, s.name, s.entity_type, s.enterprise_certified, s.store_level, s.serious_violation_90d, s.service_opened_at,
  list_filter([
    CASE WHEN s.entity_type = 'individual' AND s.service_opened_at >= TIMESTAMPTZ '2024-07-01 00:00:00+08' THEN 'individual business' END,
    CASE WHEN NOT s.enterprise_certified THEN 'not enterprise-certified' END,
    CASE WHEN s.store_level < 3 THEN 'store level below L3' END,
    CASE WHEN s.serious_violation_90d THEN 'serious violation in the 90 days before opening' END
  ], x -> x IS NOT NULL) AS reasons,
  (SELECT count(*) FROM orders o WHERE o.seller_id = s.seller_id) AS orders
FROM sellers s
WHERE (s.entity_type = 'individual' AND s.service_opened_at >= TIMESTAMPTZ '2024-07-01 00:00:00+08')
   OR NOT s.enterprise_certified OR s.store_level < 3 OR s.serious_violation_90d
