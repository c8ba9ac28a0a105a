-- Orders an incentive decision is asked for (where placeholder: our own fixed conditions, values bound).
-- refunded = a provider_fault ruling; image fee from the order_charges view (the bills' prices).
SELECT o.order_id, o.seller_id, o.sku_id, o.category, o.provider_id, o.live_at::DATE AS live_day,
  coalesce(d.ruling = 'provider_fault', false) AS refunded, coalesce(c.image_fee, 0)::BIGINT AS image_fee
FROM orders o
LEFT JOIN disputes d USING (order_id)
LEFT JOIN order_charges c USING (order_id)
WHERE {{where}}
