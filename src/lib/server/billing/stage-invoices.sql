-- VAT invoices of month $month for sellers with a valid USCC: one blue invoice per seller for the
-- month's service amounts, and per earlier month a red-letter entry for refunds of orders charged
-- then and for negative adjustments of it, naming that month's blue serial. Each invoice is split
-- on its own total (same half-up rule as the bills). A red entry carries its original's 发票号码 when
-- finance imported it (vat_invoice_numbers) before this month is issued.
CREATE OR REPLACE TEMP TABLE _inv AS
WITH svc AS (
  SELECT seller_id, amount,
         CASE WHEN (line_type = 'refund' AND charge_month < $month) OR (line_type = 'adjustment' AND amount < 0)
              THEN charge_month END AS red_month
  FROM _lines WHERE amount_type IN ('image_fee', 'language_fee', 'incentive', 'refund')
), g AS (
  SELECT svc.seller_id, red_month, sum(amount) AS total
  FROM svc JOIN _bills b ON b.seller_id = svc.seller_id AND b.uscc_valid
  GROUP BY svc.seller_id, red_month HAVING sum(amount) <> 0
), numbered AS (
  SELECT *, row_number() OVER (PARTITION BY red_month IS NULL ORDER BY seller_id, red_month) AS seq,
         sign(total) * ((abs(total) * 2 * $rate_den + ($rate_den + $rate_num)) // (2 * ($rate_den + $rate_num))) AS excl
  FROM g
)
SELECT (CASE WHEN red_month IS NULL THEN 'VS' ELSE 'VR' END) || replace($month, '-', '') || lpad(seq::VARCHAR, 8, '0') || '01' AS serial,
       $month AS month, n.seller_id, CASE WHEN red_month IS NULL THEN 'blue' ELSE 'red' END AS kind,
       (SELECT min(o.serial) FROM vat_invoices o WHERE o.kind = 'blue' AND o.month = n.red_month AND o.seller_id = n.seller_id) AS original_serial,
       red_month AS original_month,
       s.invoice_title AS buyer_name, s.uscc AS buyer_tax_id, s.invoice_address AS buyer_address, s.invoice_phone AS buyer_phone,
       s.invoice_bank AS buyer_bank, s.invoice_account AS buyer_account,
       $tax_code AS tax_code, $item_name AS item_name, $rate AS tax_rate,
       total::BIGINT AS total, excl::BIGINT AS amount_excl_tax, (total - excl)::BIGINT AS tax,
       (SELECT min(coalesce(num.invoice_number, o.invoice_number)) FROM vat_invoices o LEFT JOIN vat_invoice_numbers num ON num.serial = o.serial
         WHERE o.kind = 'blue' AND o.month = n.red_month AND o.seller_id = n.seller_id) AS original_invoice_number,
       NULL::VARCHAR AS invoice_number
FROM numbered n JOIN sellers s ON s.seller_id = n.seller_id;
