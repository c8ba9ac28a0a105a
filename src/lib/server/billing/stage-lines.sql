-- The lines of month $month's bills: the month's own amounts, adjustments (per seller, order and
-- amount type: what the rules give now for earlier months minus everything the ledger billed),
-- and the carried balance (the previous issued month's negative total, whole).
CREATE OR REPLACE TEMP TABLE _lines AS
WITH regular AS (
  SELECT seller_id, amount_type AS line_type, amount_type, order_id, sku_id, category, image_type, NULL::INTEGER AS tier_rate,
         quantity, unit_price, amount, month AS month_of_origin, charge_month, images
  FROM _ev WHERE month = $month
  UNION ALL
  SELECT seller_id, 'incentive', 'incentive', order_id, sku_id, category, NULL, tier_rate,
         1, amount, amount, close_month, close_month, 0
  FROM bill_incentive_stage WHERE close_month = $month AND amount <> 0
), rules AS (
  SELECT seller_id, order_id, amount_type, any_value(sku_id) AS sku_id, any_value(category) AS category,
         sum(amount) AS amount, max(month) AS mo, max(charge_month) AS cm
  FROM (
    SELECT seller_id, order_id, amount_type, sku_id, category, amount, month, charge_month FROM _ev WHERE month < $month
    UNION ALL
    SELECT seller_id, order_id, 'incentive', sku_id, category, amount, close_month, close_month
    FROM bill_incentive_stage WHERE close_month < $month AND $check_incentives
  ) GROUP BY seller_id, order_id, amount_type
), billed AS (
  SELECT seller_id, order_id, amount_type, any_value(sku_id) AS sku_id, any_value(category) AS category,
         sum(amount) AS amount, max(month_of_origin) AS mo, max(charge_month) AS cm
  FROM bill_lines
  WHERE order_id IS NOT NULL AND amount_type <> 'carried_balance' AND ($check_incentives OR amount_type <> 'incentive')
  GROUP BY seller_id, order_id, amount_type
), adj AS (
  SELECT coalesce(r.seller_id, b.seller_id) AS seller_id, 'adjustment' AS line_type,
         coalesce(r.amount_type, b.amount_type) AS amount_type, coalesce(r.order_id, b.order_id) AS order_id,
         coalesce(r.sku_id, b.sku_id) AS sku_id, coalesce(r.category, b.category) AS category, NULL AS image_type,
         NULL::INTEGER AS tier_rate, 1 AS quantity,
         coalesce(r.amount, 0) - coalesce(b.amount, 0) AS unit_price,
         coalesce(r.amount, 0) - coalesce(b.amount, 0) AS amount,
         coalesce(r.mo, b.mo) AS month_of_origin, coalesce(r.cm, b.cm, r.mo, b.mo) AS charge_month, 0 AS images
  FROM rules r FULL OUTER JOIN billed b
    ON r.seller_id = b.seller_id AND r.order_id = b.order_id AND r.amount_type = b.amount_type
  WHERE coalesce(r.amount, 0) <> coalesce(b.amount, 0)
), carried AS (
  SELECT seller_id, 'carried_balance' AS line_type, 'carried_balance' AS amount_type, NULL AS order_id, NULL AS sku_id,
         NULL AS category, NULL AS image_type, NULL::INTEGER AS tier_rate, 1 AS quantity, total AS unit_price, total AS amount,
         month AS month_of_origin, NULL AS charge_month, 0 AS images
  FROM bills WHERE month = $prev_month AND total < 0
), al AS (
  SELECT * FROM regular UNION ALL SELECT * FROM adj UNION ALL SELECT * FROM carried
)
SELECT $month AS month, seller_id,
       row_number() OVER (PARTITION BY seller_id ORDER BY
         list_position(['image_fee','language_fee','incentive','refund','credit','compensation','adjustment','carried_balance'], line_type),
         order_id, amount_type, month_of_origin)::INTEGER AS line_no,
       line_type, amount_type, order_id, sku_id, category,
       CASE line_type
         WHEN 'image_fee' THEN '图片制作费 Image fee: ' || category || ' ' || image_type
         WHEN 'language_fee' THEN '多语言费 Language pack'
         WHEN 'incentive' THEN '效果激励金 Performance incentive ' || tier_rate || '%'
         WHEN 'refund' THEN '退款 Refund, provider fault (charged ' || charge_month || ')'
         WHEN 'credit' THEN '补偿额度 Credit, provider fault'
         WHEN 'compensation' THEN '下架赔付 Delisting compensation'
         WHEN 'adjustment' THEN '调整 Adjustment of ' || amount_type || ' for ' || month_of_origin
         ELSE '上月结转 Balance carried from ' || month_of_origin
       END AS description,
       quantity::BIGINT AS quantity, unit_price::BIGINT AS unit_price, amount::BIGINT AS amount,
       month_of_origin, charge_month, images::BIGINT AS images
FROM al;
