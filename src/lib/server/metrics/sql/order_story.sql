-- One order with its names, charge and on-time deadline (the order page's head).
SELECT od.*, c.price_version, c.unit_price, c.image_fee, c.language_fee, c.total AS charge_total,
  d.deadline AS on_time_deadline, d.beyond_calendar, d.missing_year
FROM od
LEFT JOIN order_charges c USING (order_id)
LEFT JOIN order_deadlines d USING (order_id)
WHERE od.order_id = $order_id
