-- service_amounts.sql summed per month for all sellers (serviceAmounts grouped by month, no
-- seller): every sum is additive, so Σ over sellers of the per-seller-month rows equals the
-- platform's month totals (service_month_totals) plus bill_lines' incentives per month.
-- The amounts row: billing/amounts_row.sql (placeholder amounts_row; seller_id NULL here).
-- One row `stale` when the stored tables were made by other definitions (version placeholder).
WITH cur AS (
  SELECT EXISTS (SELECT 1 FROM preagg_state WHERE key = 'service_amounts' AND value = {{version}}) AS ok
), per AS (
  SELECT *, NULL::VARCHAR AS seller_id FROM service_month_totals WHERE month BETWEEN $from_month AND $to_month AND (SELECT ok FROM cur)
), inc AS (
  SELECT month_of_origin AS month, NULL::VARCHAR AS seller_id, sum(amount) AS incentives
  FROM bill_lines
  WHERE line_type = 'incentive' AND month_of_origin BETWEEN $from_month AND $to_month AND (SELECT ok FROM cur)
  GROUP BY ALL
)
SELECT *, false AS stale FROM {{amounts_row}}
UNION ALL
SELECT NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, true WHERE NOT (SELECT ok FROM cur)
ORDER BY month
