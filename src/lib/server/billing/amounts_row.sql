-- The service amounts of a month and seller, from the `per` (event sums: image_fees, language_fees,
-- refunds, credits, compensation, order_count, image_count) and `inc` (incentives) relations of the
-- enclosing WITH, both keyed by month and seller_id (NULL for the platform's month totals). The one
-- place the net service amount is added up for amounts.sql and the pre-aggregates' service_amounts*.sql.
SELECT coalesce(per.month, inc.month) AS month, coalesce(per.seller_id, inc.seller_id) AS seller_id,
       coalesce(image_fees, 0)::BIGINT AS image_fees, coalesce(language_fees, 0)::BIGINT AS language_fees,
       coalesce(inc.incentives, 0)::BIGINT AS incentives, coalesce(refunds, 0)::BIGINT AS refunds,
       (coalesce(image_fees, 0) + coalesce(language_fees, 0) + coalesce(inc.incentives, 0) + coalesce(refunds, 0))::BIGINT AS net_service_amount,
       coalesce(credits, 0)::BIGINT AS credits, coalesce(compensation, 0)::BIGINT AS compensation,
       coalesce(order_count, 0)::BIGINT AS order_count, coalesce(image_count, 0)::BIGINT AS image_count
FROM per FULL OUTER JOIN inc ON inc.month = per.month AND inc.seller_id IS NOT DISTINCT FROM per.seller_id
