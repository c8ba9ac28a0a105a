-- amounts.sql with its per-seller-month event sums read from service_months (the same sums, kept
-- by service-amounts.ts) instead of derived from events.sql; incentives from bill_lines as there.
-- The amounts row itself: billing/amounts_row.sql (placeholder amounts_row).
-- One row `stale` (and nothing else) when service_months was made by other definitions (the version placeholder,
-- our own constant): the caller then runs amounts.sql. Params: $from_month, $to_month, $seller.
WITH cur AS (
  SELECT EXISTS (SELECT 1 FROM preagg_state WHERE key = 'service_amounts' AND value = {{version}}) AS ok
), per AS (
  SELECT * FROM service_months
  WHERE month BETWEEN $from_month AND $to_month AND ($seller::VARCHAR IS NULL OR seller_id = $seller)
    AND (SELECT ok FROM cur)
), inc AS (
  SELECT month_of_origin AS month, seller_id, sum(amount) AS incentives
  FROM bill_lines
  WHERE line_type = 'incentive' AND month_of_origin BETWEEN $from_month AND $to_month
    AND ($seller::VARCHAR IS NULL OR seller_id = $seller) AND (SELECT ok FROM cur)
  GROUP BY ALL
)
SELECT *, false AS stale FROM {{amounts_row}}
UNION ALL
SELECT NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, true WHERE NOT (SELECT ok FROM cur)
