-- Payments per seller and billed month, derived from what the month's bill is likely to be
-- (charges of orders delivered in the month, less refunds, credits and compensation in it; the
-- billing job computes the true dues, including incentives, which are estimated here from the
-- SKU's drawn lift). Most pay exactly before the 10th of the next month, some late, some partly,
-- a few too much, a few not at all.
CREATE OR REPLACE TEMP TABLE g_charges AS
SELECT o.oid, o.seller_id, o.delivered_at, o.live_at,
  up.unit_price * o.image_count AS image_fee,
  up.unit_price * o.image_count + up.language_unit * coalesce(len(string_split(o.languages, ';')), 0) * o.image_count AS total
FROM g_orders o
ASOF JOIN unit_prices up
  ON o.category = up.category AND o.image_type = up.image_type AND o.rush = up.rush
 AND o.store_license = up.store_license AND o.published_at::DATE >= up.effective_from
WHERE o.delivered_at IS NOT NULL;

CREATE OR REPLACE TEMP TABLE g_bill_items AS
SELECT seller_id, date_trunc('month', delivered_at)::DATE AS m, total AS amount FROM g_charges
UNION ALL
-- incentive estimate: tier of the SKU's drawn lift, in the month the result window closes
SELECT c.seller_id, date_trunc('month', c.live_at::DATE + 29)::DATE,
  round(c.image_fee * CASE WHEN s.lift_c >= 0.30 THEN 0.30 WHEN s.lift_c >= 0.15 THEN 0.20 ELSE 0 END)::BIGINT
FROM g_charges c JOIN g_orders o USING (oid) JOIN g_skus s ON s.sku_id = o.sku_id
WHERE c.live_at IS NOT NULL AND c.live_at::DATE + 29 < getvariable('as_of')
UNION ALL
SELECT c.seller_id, date_trunc('month', d.resolved_at)::DATE, -c.total - 20000
FROM g_disputes d JOIN g_charges c USING (oid) WHERE d.ruling = 'provider_fault'
UNION ALL
SELECT c.seller_id, date_trunc('month', l.compensated_at)::DATE, -least(l.claimed_loss, 500000)
FROM g_delistings l JOIN g_charges c USING (oid) WHERE l.compensated_at IS NOT NULL;

CREATE OR REPLACE TEMP TABLE g_payments AS
WITH bills AS (
  SELECT b.seller_id, s.i AS si, s.pays_by_bank, b.m, sum(b.amount) AS due,
    (year(b.m) * 100 + month(b.m)) AS mk
  FROM g_bill_items b JOIN g_sellers s USING (seller_id)
  WHERE b.m < date_trunc('month', getvariable('as_of'))
  GROUP BY ALL HAVING sum(b.amount) > 0
), k AS (
  SELECT bills.*, u2('pk', si, mk) AS x, (m + INTERVAL 1 MONTH)::TIMESTAMP AS next_m FROM bills
), parts AS (
  -- (part, share of due, hours after the 1st of next month)
  SELECT k.*, unnest(CASE
      WHEN x < 0.83 THEN [{'p': 1, 'share': 1.0, 'h': 24 * 4 + 9 + 24 * 5.4 * u2('pt', si, mk)}]
      WHEN x < 0.89 THEN [{'p': 1, 'share': 1.0, 'h': 24 * 10 + 9 + 24 * 15 * u2('pt', si, mk)}]
      WHEN x < 0.94 THEN [{'p': 1, 'share': 0.4 + 0.5 * u2('ps', si, mk), 'h': 24 * 4 + 9 + 24 * 5.4 * u2('pt', si, mk)}]
      WHEN x < 0.96 THEN [{'p': 1, 'share': 0.5, 'h': 24 * 2 + 9 + 24 * 2 * u2('pt', si, mk)},
                          {'p': 2, 'share': 0.5, 'h': 24 * 6 + 9 + 24 * 2 * u2('pt2', si, mk)}]
      WHEN x < 0.98 THEN [{'p': 1, 'share': 1.0 + (100 + floor(5000 * u2('ps', si, mk))) / greatest(due, 1), 'h': 24 * 4 + 9 + 24 * 5.4 * u2('pt', si, mk)}]
      ELSE [] END) AS part
  FROM k
)
SELECT
  'PAY' || lpad(si::VARCHAR, 7, '0') || '-' || strftime(m, '%Y%m') || '-' || part.p::VARCHAR AS payment_id,
  seller_id, strftime(m, '%Y-%m') AS month,
  plus_h(next_m, part.h) AS paid_at,
  CASE WHEN x >= 0.94 AND x < 0.96 AND part.p = 2 THEN due - round(due * 0.5)::BIGINT
       ELSE round(due * part.share)::BIGINT END AS amount,
  CASE WHEN pays_by_bank THEN 'bank' ELSE 'alipay' END AS method
FROM parts
WHERE plus_h(next_m, part.h) < getvariable('as_of')::TIMESTAMP;

DROP TABLE g_charges;
DROP TABLE g_bill_items;
