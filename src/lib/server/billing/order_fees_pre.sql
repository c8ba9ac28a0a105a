-- order_fees.sql's rows from the pre-aggregate order_facts, whose f_image_fee / f_language_fee are
-- order_charges' image_fee / language_fee copied at refresh (NULL where the view has no row: no
-- price). Unit prices come back exactly: image_fee = unit_price × image_count (image_count ≥ 1,
-- data contract) and language_fee = language_unit × language_count × image_count (the unit is
-- only read where language_count > 0). Equality with order_fees.sql: test/integration/billing/fee-source.test.ts.
SELECT f.order_id, f.seller_id, f.sku_id, f.category, f.image_type, f.delivered_at,
       f.f_image_fee // f.image_count AS unit_price, f.image_count, f.f_image_fee AS image_fee,
       CASE WHEN len(f.languages) > 0 THEN f.f_language_fee // (len(f.languages) * f.image_count) END AS language_unit,
       len(f.languages) AS language_count, f.f_language_fee AS language_fee,
       f.f_image_fee + f.f_language_fee AS total
FROM order_facts f
WHERE f.delivered_at IS NOT NULL AND f.cancelled_at IS NULL AND f.f_image_fee IS NOT NULL
