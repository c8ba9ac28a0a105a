-- ctr_units: one row per live order with what the CTR page reads (preagg/ctr-units.ts): the
-- order's dimensions from order_facts and its window sums from order_windows, already joined, so
-- a CTR request scans one table instead of joining ~2.5M rows on a text key. Derived data only,
-- rebuilt and refreshed with order_windows; ordered by live day on a full rebuild (range scans).
CREATE TABLE IF NOT EXISTS ctr_units (
  order_id VARCHAR NOT NULL,
  seller_id VARCHAR NOT NULL,
  seller_name VARCHAR,
  provider_id VARCHAR NOT NULL,
  provider_name VARCHAR,
  sku_id VARCHAR NOT NULL,
  category VARCHAR NOT NULL,
  region VARCHAR,
  image_type VARCHAR NOT NULL,
  form_filled BOOLEAN NOT NULL,
  first_order BOOLEAN NOT NULL,
  live_at TIMESTAMPTZ NOT NULL,
  live_day DATE NOT NULL,
  window_closed_on DATE NOT NULL,
  refunded BOOLEAN NOT NULL,
  -- measurable but for the window having closed: not refunded, ≥ 1,000 impressions in both
  -- windows, baseline clicks > 0 (domain "Metrics"); measurable = qual AND window_closed_on < today
  qual BOOLEAN NOT NULL,
  b_impr BIGINT NOT NULL, b_clicks BIGINT NOT NULL, b_atc BIGINT NOT NULL,
  r_impr BIGINT NOT NULL, r_clicks BIGINT NOT NULL, r_atc BIGINT NOT NULL,
  b_nn BIGINT NOT NULL, b_cc BIGINT NOT NULL, b_cn BIGINT NOT NULL, b_aa BIGINT NOT NULL, b_an BIGINT NOT NULL,
  r_nn BIGINT NOT NULL, r_cc BIGINT NOT NULL, r_cn BIGINT NOT NULL, r_aa BIGINT NOT NULL, r_an BIGINT NOT NULL
);


-- ctr_cube: ctr_units summed per (live day, category, region, image type, form flag, first
-- order): the additive moments of metrics/sql/ctr_moments.sql over the cell's qual orders. The
-- live day fixes the close day, so on any "today" a cell's qual orders are all measurable or all
-- not: requests without seller/provider read ~100k cells instead of ~2.5M orders, exactly.
-- live_at is the live day's Shanghai midnight so the time dimensions and ranges of compile.ts
-- apply to it unchanged. Sums are BIGINT per cell (an overflow is an error at build, never silent;
-- a HUGEINT column scanned ~100× slower); the request sums them into HUGEINT, exact.
CREATE TABLE IF NOT EXISTS ctr_cube (
  live_day DATE NOT NULL,
  live_at TIMESTAMPTZ NOT NULL,
  window_closed_on DATE NOT NULL,
  category VARCHAR NOT NULL,
  region VARCHAR,
  image_type VARCHAR NOT NULL,
  form_filled BOOLEAN NOT NULL,
  first_order BOOLEAN NOT NULL,
  live_orders BIGINT NOT NULL,
  first_order_id VARCHAR NOT NULL,
  n BIGINT NOT NULL,
  bc BIGINT NOT NULL,
  ba BIGINT NOT NULL,
  bi BIGINT NOT NULL,
  rc BIGINT NOT NULL,
  ra BIGINT NOT NULL,
  ri BIGINT NOT NULL,
  bc_bc BIGINT NOT NULL,
  bc_bi BIGINT NOT NULL,
  bc_rc BIGINT NOT NULL,
  bc_ri BIGINT NOT NULL,
  bi_bi BIGINT NOT NULL,
  bi_rc BIGINT NOT NULL,
  bi_ri BIGINT NOT NULL,
  rc_rc BIGINT NOT NULL,
  rc_ri BIGINT NOT NULL,
  ri_ri BIGINT NOT NULL,
  ba_ba BIGINT NOT NULL,
  ba_bi BIGINT NOT NULL,
  ba_ra BIGINT NOT NULL,
  ba_ri BIGINT NOT NULL,
  bi_ra BIGINT NOT NULL,
  ra_ra BIGINT NOT NULL,
  ra_ri BIGINT NOT NULL
);
-- One-time fill for a database whose pre-aggregates exist already: preagg/sql/ctr_units.sql over
-- all orders (test/integration/preagg/ctr-units.test.ts checks both give the same rows). From
-- here on the pre-aggregate refresh (preagg/index.ts) keeps the table current.
INSERT INTO ctr_units BY NAME
SELECT f.order_id, f.seller_id, f.seller_name, f.provider_id, f.provider_name, f.sku_id, f.category,
  f.region, f.image_type, f.form_filled, f.first_order, f.live_at,
  f.f_live_day AS live_day, f.f_close_day AS window_closed_on, f.f_refunded AS refunded,
  NOT f.f_refunded AND w.b_impr >= 1000 AND w.r_impr >= 1000 AND w.b_clicks > 0 AS qual,
  w.b_impr, w.b_clicks, w.b_atc, w.r_impr, w.r_clicks, w.r_atc,
  w.b_nn, w.b_cc, w.b_cn, w.b_aa, w.b_an, w.r_nn, w.r_cc, w.r_cn, w.r_aa, w.r_an
FROM (SELECT * FROM order_facts WHERE live_at IS NOT NULL) f
JOIN order_windows w ON w.order_id = f.order_id
ORDER BY f.f_live_day, f.order_id;

-- and of ctr_cube: preagg/sql/ctr_cube.sql over all days
INSERT INTO ctr_cube BY NAME
SELECT live_day, any_value(live_day::TIMESTAMPTZ) AS live_at, any_value(window_closed_on) AS window_closed_on,
  category, region, image_type, form_filled, first_order,
  count(*) AS live_orders, min(order_id) AS first_order_id, sum(q)::BIGINT AS n,
  sum(q * b_clicks)::BIGINT AS bc,
  sum(q * b_atc)::BIGINT AS ba,
  sum(q * b_impr)::BIGINT AS bi,
  sum(q * r_clicks)::BIGINT AS rc,
  sum(q * r_atc)::BIGINT AS ra,
  sum(q * r_impr)::BIGINT AS ri,
  sum(q * b_clicks * b_clicks)::BIGINT AS bc_bc,
  sum(q * b_clicks * b_impr)::BIGINT AS bc_bi,
  sum(q * b_clicks * r_clicks)::BIGINT AS bc_rc,
  sum(q * b_clicks * r_impr)::BIGINT AS bc_ri,
  sum(q * b_impr * b_impr)::BIGINT AS bi_bi,
  sum(q * b_impr * r_clicks)::BIGINT AS bi_rc,
  sum(q * b_impr * r_impr)::BIGINT AS bi_ri,
  sum(q * r_clicks * r_clicks)::BIGINT AS rc_rc,
  sum(q * r_clicks * r_impr)::BIGINT AS rc_ri,
  sum(q * r_impr * r_impr)::BIGINT AS ri_ri,
  sum(q * b_atc * b_atc)::BIGINT AS ba_ba,
  sum(q * b_atc * b_impr)::BIGINT AS ba_bi,
  sum(q * b_atc * r_atc)::BIGINT AS ba_ra,
  sum(q * b_atc * r_impr)::BIGINT AS ba_ri,
  sum(q * b_impr * r_atc)::BIGINT AS bi_ra,
  sum(q * r_atc * r_atc)::BIGINT AS ra_ra,
  sum(q * r_atc * r_impr)::BIGINT AS ra_ri
FROM (SELECT *, qual::BIGINT AS q FROM ctr_units WHERE true)
GROUP BY live_day, category, region, image_type, form_filled, first_order
ORDER BY live_day;
