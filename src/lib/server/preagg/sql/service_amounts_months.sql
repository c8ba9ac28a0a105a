-- service_amounts.sql summed per month for all sellers (serviceAmounts grouped by month, no
-- seller): every sum is additive, so Σ over sellers of the per-seller-month rows equals the
-- platform's month totals (service_month_totals) plus bill_lines' incentives per month.
-- One row `stale` when the stored tables were made by other definitions (version placeholder).
WITH cur AS (
  SELECT EXISTS (SELECT 1 FROM preagg_state WHERE key = 'service_amounts' AND value = {{version}}) AS ok
), per AS (
  SELECT * FROM service_month_totals WHERE month BETWEEN $from_month AND $to_month AND (SELECT ok FROM cur)
), inc AS (
  SELECT month_of_origin AS month, sum(amount) AS incentives
  FROM bill_lines
  WHERE line_type = 'incentive' AND month_of_origin BETWEEN $from_month AND $to_month AND (SELECT ok FROM cur)
  GROUP BY ALL
)
SELECT coalesce(per.month, inc.month) AS month, NULL::VARCHAR AS seller_id,
       coalesce(image_fees, 0)::BIGINT AS image_fees, coalesce(language_fees, 0)::BIGINT AS language_fees,
       coalesce(inc.incentives, 0)::BIGINT AS incentives, coalesce(refunds, 0)::BIGINT AS refunds,
       (coalesce(image_fees, 0) + coalesce(language_fees, 0) + coalesce(inc.incentives, 0) + coalesce(refunds, 0))::BIGINT AS net_service_amount,
       coalesce(credits, 0)::BIGINT AS credits, coalesce(compensation, 0)::BIGINT AS compensation,
       coalesce(order_count, 0)::BIGINT AS order_count, coalesce(image_count, 0)::BIGINT AS image_count,
       false AS stale
FROM per FULL OUTER JOIN inc ON inc.month = per.month
UNION ALL
SELECT NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, true WHERE NOT (SELECT ok FROM cur)
ORDER BY month
