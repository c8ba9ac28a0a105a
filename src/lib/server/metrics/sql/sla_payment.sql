-- Payment: month end → last payment recorded for the month, due by 24:00 on the 10th of M+1,
-- for every (seller, month) with a payment record. "Paid in full" needs the bill's amount_due,
-- which belongs to the billing module: here the last payment's time is the stop (see README).
SELECT p.seller_id, s.region, s.name AS seller_name,
  NULL::VARCHAR AS category, NULL::VARCHAR AS provider_id, NULL::VARCHAR AS provider_name,
  NULL::VARCHAR AS order_id, NULL::VARCHAR AS image_type, NULL::BOOLEAN AS form_filled, NULL::BOOLEAN AS first_order,
  p.seller_id || '/' || p.month AS item_id, p.month,
  (strptime(p.month || '-01', '%Y-%m-%d')::DATE + INTERVAL 1 MONTH)::DATE::TIMESTAMPTZ AS start_at,
  max(p.paid_at) AS stop_raw,
  sum(p.amount) AS paid_fen,
  ((strptime(p.month || '-01', '%Y-%m-%d')::DATE + INTERVAL 1 MONTH)::DATE + 10)::TIMESTAMPTZ AS deadline,
  false AS beyond_calendar, NULL::INTEGER AS missing_year
FROM payments p
LEFT JOIN sellers s ON s.seller_id = p.seller_id
GROUP BY ALL
