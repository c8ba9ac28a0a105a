-- incentive_sums_pre.sql plus, per order, the decision stored in incentive_decisions (the rule's
-- output with the window closed; preagg/incentive-decisions.ts) when it was made by the current rule
-- version (INCENTIVE_STORE_VERSION, our own constant): callers use it for closed windows and decide the rest live.
-- stored_where: the same selection on the stored table's own columns, so its scan reads only those
-- rows (the table is sorted by close day).
SELECT o.order_id, o.seller_id, o.sku_id, o.category, o.provider_id, o.f_live_day AS live_day,
  o.f_refunded AS refunded, coalesce(o.f_image_fee, 0)::BIGINT AS image_fee,
  w.b_impr, w.b_clicks, w.b_nn, w.b_cc, w.b_cn, w.r_impr, w.r_clicks, w.r_nn, w.r_cc, w.r_cn,
  s.reason AS s_reason, s.qualifies AS s_qualifies, s.close_day AS s_close_day, s.live_day AS s_live_day,
  s.baseline_from AS s_baseline_from, s.baseline_to AS s_baseline_to, s.result_from AS s_result_from,
  s.result_to AS s_result_to, s.close_month AS s_close_month, s.b_impressions AS s_b_impressions,
  s.b_clicks AS s_b_clicks, s.b_ctr AS s_b_ctr, s.r_impressions AS s_r_impressions, s.r_clicks AS s_r_clicks,
  s.r_ctr AS s_r_ctr, s.lift AS s_lift, s.lower95 AS s_lower95, s.se AS s_se, s.df AS s_df,
  s.tier_rate AS s_tier_rate, s.image_fee_fen AS s_image_fee_fen, s.amount_fen AS s_amount_fen,
  s.explanation AS s_explanation
FROM order_facts o
LEFT JOIN order_windows w ON w.order_id = o.order_id
LEFT JOIN (
  SELECT * FROM incentive_decisions
  WHERE {{stored_where}} AND EXISTS (SELECT 1 FROM preagg_state WHERE key = 'incentive_rule' AND value = {{rule}})
) s ON s.order_id = o.order_id
WHERE {{where}}
ORDER BY o.order_id
