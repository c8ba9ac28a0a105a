-- Bill generation: month end → bill generated, by the 5th (Asia/Shanghai). Reads bill_runs
-- (month YYYY-MM, issued_at; migration 003) when the billing module has created it; the runner checks first.
SELECT NULL::VARCHAR AS seller_id, NULL::VARCHAR AS region, NULL::VARCHAR AS seller_name,
  NULL::VARCHAR AS category, NULL::VARCHAR AS provider_id, NULL::VARCHAR AS provider_name,
  NULL::VARCHAR AS order_id, NULL::VARCHAR AS image_type, NULL::BOOLEAN AS form_filled, NULL::BOOLEAN AS first_order,
  b.month AS item_id, b.month,
  (strptime(b.month || '-01', '%Y-%m-%d')::DATE + INTERVAL 1 MONTH)::DATE::TIMESTAMPTZ AS start_at,
  min(b.issued_at) AS stop_raw,
  ((strptime(b.month || '-01', '%Y-%m-%d')::DATE + INTERVAL 1 MONTH)::DATE + 5)::TIMESTAMPTZ AS deadline,
  false AS beyond_calendar, NULL::INTEGER AS missing_year
FROM bill_runs b
GROUP BY ALL
