-- Orders whose store_license flag disagrees with the seller's whole-store licence. The licence
-- applies to an order when the seller has one, it started on or before the order's Shanghai
-- publishing day, and it binds the order's provider. (The data carries no end date, so a
-- started licence is taken as still in force.) Both directions are findings: a discount billed
-- without a licence, and a licence that applies but was not used.
SELECT o.order_id, o.seller_id, o.provider_id, o.published_at, o.store_license, s.license_from, s.license_provider_id,
  CASE
    WHEN o.store_license AND s.license_from IS NULL THEN 'flag set, seller has no licence'
    WHEN o.store_license AND s.license_from > o.published_at::DATE THEN 'flag set, licence not yet started'
    WHEN o.store_license AND s.license_provider_id IS DISTINCT FROM o.provider_id THEN 'flag set, licence bound to another provider'
    ELSE 'licence applies, flag not set'
  END AS finding
FROM orders o
JOIN sellers s USING (seller_id)
WHERE (o.store_license AND (s.license_from IS NULL OR s.license_from > o.published_at::DATE OR s.license_provider_id IS DISTINCT FROM o.provider_id))
   OR (NOT o.store_license AND s.license_from <= o.published_at::DATE AND s.license_provider_id = o.provider_id)
