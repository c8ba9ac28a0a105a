-- Per order and Shanghai month: the sums of its billing events (events.sql, substituted for the
-- events placeholder by service-amounts.ts; params of eventParams over every month), by amount type, as
-- amounts.sql's per-seller-month CTE sums them. The orders_where placeholder: all, or the touched orders.
SELECT order_id, month, seller_id,
       coalesce(sum(amount) FILTER (WHERE amount_type = 'image_fee'), 0)::BIGINT AS image_fees,
       coalesce(sum(amount) FILTER (WHERE amount_type = 'language_fee'), 0)::BIGINT AS language_fees,
       coalesce(sum(amount) FILTER (WHERE amount_type = 'refund'), 0)::BIGINT AS refunds,
       coalesce(sum(amount) FILTER (WHERE amount_type = 'credit'), 0)::BIGINT AS credits,
       coalesce(sum(amount) FILTER (WHERE amount_type = 'compensation'), 0)::BIGINT AS compensation,
       count(*) FILTER (WHERE amount_type = 'image_fee') AS order_count,
       coalesce(sum(images), 0)::BIGINT AS image_count
FROM {{events}} e
WHERE {{orders_where}}
GROUP BY order_id, month, seller_id
