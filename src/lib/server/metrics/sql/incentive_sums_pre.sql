-- Incentive inputs from the pre-aggregates: order_facts (refunded, image fee) + order_windows
-- (window sums). The where placeholder takes our own fixed conditions over o (values bound).
SELECT o.order_id, o.seller_id, o.sku_id, o.category, o.provider_id, o.f_live_day AS live_day,
  o.f_refunded AS refunded, coalesce(o.f_image_fee, 0)::BIGINT AS image_fee,
  w.b_impr, w.b_clicks, w.b_nn, w.b_cc, w.b_cn, w.r_impr, w.r_clicks, w.r_nn, w.r_cc, w.r_cn
FROM order_facts o
LEFT JOIN order_windows w ON w.order_id = o.order_id
WHERE {{where}}
ORDER BY o.order_id
