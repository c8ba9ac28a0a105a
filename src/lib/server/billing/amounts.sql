-- Service amounts per seller and month under the billing month rules (the dashboards' "service
-- revenue" and the bills use the same events.sql). Incentives: what the ledger billed as regular
-- incentive lines (issued months only; an open month has none yet).
-- Params: those of events.sql, $from_month, $to_month, $seller (NULL = all).
WITH ev AS (
  SELECT * FROM {{events}} e WHERE $seller::VARCHAR IS NULL OR e.seller_id = $seller
), inc AS (
  SELECT month_of_origin AS month, seller_id, sum(amount) AS incentives
  FROM bill_lines
  WHERE line_type = 'incentive' AND month_of_origin BETWEEN $from_month AND $to_month
    AND ($seller::VARCHAR IS NULL OR seller_id = $seller)
  GROUP BY ALL
), per AS (
  SELECT month, seller_id,
         sum(amount) FILTER (WHERE amount_type = 'image_fee') AS image_fees,
         sum(amount) FILTER (WHERE amount_type = 'language_fee') AS language_fees,
         sum(amount) FILTER (WHERE amount_type = 'refund') AS refunds,
         sum(amount) FILTER (WHERE amount_type = 'credit') AS credits,
         sum(amount) FILTER (WHERE amount_type = 'compensation') AS compensation,
         count(*) FILTER (WHERE amount_type = 'image_fee') AS order_count,
         sum(images) AS image_count
  FROM ev GROUP BY ALL
)
SELECT * FROM {{amounts_row}}
