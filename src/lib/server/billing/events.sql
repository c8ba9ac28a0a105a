-- Every amount the billing rules give, one row per order and amount type, with the Shanghai month
-- it falls in (domain spec, "Monthly billing"). Incentives are not here: they come from
-- incentiveDecisions() (src/lib/server/metrics/incentives.ts).
--   image_fee, language_fee → month of delivered_at (cancelled orders never)
--   refund (−order charge), credit (−¥200) → month of resolved_at of a provider_fault ruling
--   compensation (−min(claimed_loss, cap)) → month of compensated_at
-- The per-order fee source is a placeholder filled by sql(…, subs) (amounts.ts feeSource).
-- Params: $from_ts, $to_ts (month starts, [from, to)), $credit, $comp_cap (fen).
WITH oc AS NOT MATERIALIZED (
  -- per-order fees: order_fees.sql (the order_charges VIEW) or order_fees_pre.sql (order_facts),
  -- chosen by feeSource() (amounts.ts); the rules below are the same either way. Not
  -- materialized: each branch's own filters reach the scan (materialized, it copies every order).
  SELECT * FROM {{order_fees}} f
)
SELECT strftime(delivered_at, '%Y-%m') AS month, seller_id, order_id, sku_id, category, image_type,
       'image_fee' AS amount_type, image_count::BIGINT AS quantity, unit_price::BIGINT AS unit_price,
       image_fee::BIGINT AS amount, strftime(delivered_at, '%Y-%m') AS charge_month, image_count::BIGINT AS images
FROM oc WHERE delivered_at >= $from_ts::TIMESTAMPTZ AND delivered_at < $to_ts::TIMESTAMPTZ
UNION ALL
SELECT strftime(delivered_at, '%Y-%m'), seller_id, order_id, sku_id, category, image_type,
       'language_fee', (image_count * language_count)::BIGINT, language_unit::BIGINT,
       language_fee::BIGINT, strftime(delivered_at, '%Y-%m'), 0
FROM oc WHERE language_count > 0 AND delivered_at >= $from_ts::TIMESTAMPTZ AND delivered_at < $to_ts::TIMESTAMPTZ
UNION ALL
SELECT strftime(d.resolved_at, '%Y-%m'), oc.seller_id, oc.order_id, oc.sku_id, oc.category, oc.image_type,
       'refund', 1, (-oc.total)::BIGINT, (-oc.total)::BIGINT, strftime(oc.delivered_at, '%Y-%m'), 0
FROM disputes d JOIN oc ON oc.order_id = d.order_id
WHERE d.ruling = 'provider_fault' AND d.resolved_at >= $from_ts::TIMESTAMPTZ AND d.resolved_at < $to_ts::TIMESTAMPTZ
UNION ALL
SELECT strftime(d.resolved_at, '%Y-%m'), oc.seller_id, oc.order_id, oc.sku_id, oc.category, oc.image_type,
       'credit', 1, (-$credit)::BIGINT, (-$credit)::BIGINT, NULL, 0
FROM disputes d JOIN oc ON oc.order_id = d.order_id
WHERE d.ruling = 'provider_fault' AND d.resolved_at >= $from_ts::TIMESTAMPTZ AND d.resolved_at < $to_ts::TIMESTAMPTZ
UNION ALL
SELECT strftime(l.compensated_at, '%Y-%m'), o.seller_id, o.order_id, o.sku_id, o.category, o.image_type,
       'compensation', 1, (-least(l.claimed_loss, $comp_cap))::BIGINT, (-least(l.claimed_loss, $comp_cap))::BIGINT, NULL, 0
FROM delistings l JOIN orders o ON o.order_id = l.order_id
WHERE l.compensated_at >= $from_ts::TIMESTAMPTZ AND l.compensated_at < $to_ts::TIMESTAMPTZ
