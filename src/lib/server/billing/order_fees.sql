-- Per-order fees of every delivered, not cancelled order, priced by the order_charges VIEW (the
-- price list's version in force on the publish day). events.sql reads this when the
-- pre-aggregates are not current; order_fees_pre.sql is the same rows from order_facts.
SELECT o.order_id, o.seller_id, o.sku_id, o.category, o.image_type, o.delivered_at,
       c.unit_price, c.image_count, c.image_fee, c.language_unit, c.language_count, c.language_fee, c.total
FROM orders o JOIN order_charges c ON c.order_id = o.order_id
WHERE o.delivered_at IS NOT NULL AND o.cancelled_at IS NULL
