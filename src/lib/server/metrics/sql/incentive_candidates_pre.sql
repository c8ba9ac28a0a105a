-- Overview incentive tile: the orders whose window closes in [$inc_from, $inc_to] (before $today)
-- that can still earn an incentive. Every order left out would be decided 0 by
-- decideIncentiveFromSums (refunded, not live, < 1,000 impressions in a window, baseline CTR 0,
-- lift below the first tier — the tier test is tierRatePercent's exact integer comparison, or
-- no image fee), so only these few go through the JS significance test.
SELECT o.order_id, o.f_live_day AS live_day, o.f_close_day AS close_day,
  coalesce(o.f_image_fee, 0)::BIGINT AS image_fee,
  w.b_impr, w.b_clicks, w.b_nn, w.b_cc, w.b_cn, w.r_impr, w.r_clicks, w.r_nn, w.r_cc, w.r_cn
FROM order_facts o
JOIN order_windows w ON w.order_id = o.order_id
WHERE o.f_close_day BETWEEN CAST($inc_from AS DATE) AND CAST($inc_to AS DATE)
  AND o.f_close_day < CAST($today AS DATE)
  AND NOT o.f_refunded AND o.f_live_day IS NOT NULL AND coalesce(o.f_image_fee, 0) > 0
  AND w.b_impr >= 1000 AND w.r_impr >= 1000 AND w.b_clicks > 0
  AND 100::HUGEINT * w.r_clicks * w.b_impr >= 105::HUGEINT * w.b_clicks * w.r_impr
  {{and_where}}
ORDER BY o.order_id
