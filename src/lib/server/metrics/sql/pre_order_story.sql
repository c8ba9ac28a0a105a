-- order_story.sql over order_facts (same columns): the deadline is stored.
SELECT od.* EXCLUDE (f_revisions, f_ruling, f_refunded, f_image_fee, f_language_fee, f_deadline, f_beyond_calendar, f_missing_year, f_live_day, f_close_day),
  c.price_version, c.unit_price, c.image_fee, c.language_fee, c.total AS charge_total,
  od.f_deadline AS on_time_deadline, od.f_beyond_calendar AS beyond_calendar, od.f_missing_year AS missing_year
FROM od
LEFT JOIN (SELECT * FROM order_charges WHERE order_id = $order_id) c USING (order_id)
WHERE od.order_id = $order_id
