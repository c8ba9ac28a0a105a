-- ctr_units rows of the live orders {{orders_where}} selects (columns of order_facts): the order's
-- dimensions joined to its window sums. Both pre-aggregates must be current for those orders.
SELECT f.order_id, f.seller_id, f.seller_name, f.provider_id, f.provider_name, f.sku_id, f.category,
  f.region, f.image_type, f.form_filled, f.first_order, f.live_at,
  f.f_live_day AS live_day, f.f_close_day AS window_closed_on, f.f_refunded AS refunded,
  -- the today-independent part of "measurable" (domain "Metrics"; pre_ctr_windows.sql adds the close)
  NOT f.f_refunded AND w.b_impr >= 1000 AND w.r_impr >= 1000 AND w.b_clicks > 0 AS qual,
  w.b_impr, w.b_clicks, w.b_atc, w.r_impr, w.r_clicks, w.r_atc,
  w.b_nn, w.b_cc, w.b_cn, w.b_aa, w.b_an, w.r_nn, w.r_cc, w.r_cn, w.r_aa, w.r_an
FROM (SELECT * FROM order_facts WHERE live_at IS NOT NULL AND {{orders_where}}) f
JOIN order_windows w ON w.order_id = f.order_id
