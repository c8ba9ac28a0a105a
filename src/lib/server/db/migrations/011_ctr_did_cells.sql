-- ctr_did_cells: the difference-in-differences control summed per cohort (category, live day),
-- filled and kept by the pre-aggregates (preagg/ctr-units.ts, preagg/sql/ctr_did_cells.sql); a
-- DiD request joins its treated cohorts to these rows instead of searching every SKU of the
-- category per cohort (metrics/sql/ctr_did_control.sql, still the definition and the fallback).
-- preagg_state.ctr_did_load = the load the rows are current for; readers use them only when it
-- equals applied_load. BIGINT sums (an overflow is an error at build, never silent; a HUGEINT
-- column made the request's 23 sums ~10x slower); the request sums them into HUGEINT, exact.
CREATE TABLE IF NOT EXISTS ctr_did_cells (
  category VARCHAR NOT NULL,
  live_day DATE NOT NULL,
  units BIGINT NOT NULL,
  bc BIGINT NOT NULL, ba BIGINT NOT NULL, bi BIGINT NOT NULL,
  rc BIGINT NOT NULL, ra BIGINT NOT NULL, ri BIGINT NOT NULL,
  bc_bc BIGINT NOT NULL, bc_bi BIGINT NOT NULL, bc_rc BIGINT NOT NULL, bc_ri BIGINT NOT NULL,
  bi_bi BIGINT NOT NULL, bi_rc BIGINT NOT NULL, bi_ri BIGINT NOT NULL,
  rc_rc BIGINT NOT NULL, rc_ri BIGINT NOT NULL, ri_ri BIGINT NOT NULL,
  ba_ba BIGINT NOT NULL, ba_bi BIGINT NOT NULL, ba_ra BIGINT NOT NULL, ba_ri BIGINT NOT NULL,
  bi_ra BIGINT NOT NULL, ra_ra BIGINT NOT NULL, ra_ri BIGINT NOT NULL
);

-- ctr_cube_provider (ctr_cube per live day and provider; preagg/ctr-units.ts keeps it) used to be
-- created by the pre-aggregate code when missing, checked for at four places; it is a table of the
-- schema now. A database that has it already keeps its rows; one without gets it filled once from
-- ctr_units (preagg/sql/ctr_cube.sql with the provider cell; empty when ctr_units is).
CREATE TABLE IF NOT EXISTS ctr_cube_provider (
  live_day DATE NOT NULL,
  live_at TIMESTAMPTZ NOT NULL,
  window_closed_on DATE NOT NULL,
  provider_id VARCHAR NOT NULL,
  provider_name VARCHAR,
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

INSERT INTO ctr_cube_provider BY NAME
SELECT live_day, any_value(live_day::TIMESTAMPTZ) AS live_at, any_value(window_closed_on) AS window_closed_on,
  provider_id, provider_name,
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
FROM (SELECT *, qual::BIGINT AS q FROM ctr_units WHERE NOT EXISTS (SELECT 1 FROM ctr_cube_provider))
GROUP BY live_day, provider_id, provider_name
ORDER BY live_day;

-- The month cubes (preagg/sql/ctr_cube_month.sql): ctr_cube and ctr_cube_provider summed per
-- calendar month of the live day, ~30x fewer rows per provider; a request reads them for the whole
-- months of its range (metrics/sql/ctr_cube_source.sql) and the day cubes for the edges. Filled
-- once here from the day cubes of an existing database; kept with them by preagg/ctr-units.ts.
CREATE TABLE IF NOT EXISTS ctr_cube_month (
  month DATE NOT NULL,
  month_end DATE NOT NULL,
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
CREATE TABLE IF NOT EXISTS ctr_cube_provider_month (
  month DATE NOT NULL,
  month_end DATE NOT NULL,
  live_at TIMESTAMPTZ NOT NULL,
  window_closed_on DATE NOT NULL,
  provider_id VARCHAR NOT NULL,
  provider_name VARCHAR,
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

INSERT INTO ctr_cube_month BY NAME
SELECT month, month_end, any_value(month::TIMESTAMPTZ) AS live_at, any_value(month_end + 29) AS window_closed_on,
  category, region, image_type, form_filled, first_order,
  sum(live_orders)::BIGINT AS live_orders, min(first_order_id) AS first_order_id, sum(n)::BIGINT AS n,
  sum(bc)::BIGINT AS bc, sum(ba)::BIGINT AS ba, sum(bi)::BIGINT AS bi, sum(rc)::BIGINT AS rc, sum(ra)::BIGINT AS ra, sum(ri)::BIGINT AS ri,
  sum(bc_bc)::BIGINT AS bc_bc, sum(bc_bi)::BIGINT AS bc_bi, sum(bc_rc)::BIGINT AS bc_rc, sum(bc_ri)::BIGINT AS bc_ri,
  sum(bi_bi)::BIGINT AS bi_bi, sum(bi_rc)::BIGINT AS bi_rc, sum(bi_ri)::BIGINT AS bi_ri,
  sum(rc_rc)::BIGINT AS rc_rc, sum(rc_ri)::BIGINT AS rc_ri, sum(ri_ri)::BIGINT AS ri_ri,
  sum(ba_ba)::BIGINT AS ba_ba, sum(ba_bi)::BIGINT AS ba_bi, sum(ba_ra)::BIGINT AS ba_ra, sum(ba_ri)::BIGINT AS ba_ri,
  sum(bi_ra)::BIGINT AS bi_ra, sum(ra_ra)::BIGINT AS ra_ra, sum(ra_ri)::BIGINT AS ra_ri
FROM (SELECT *, date_trunc('month', live_day)::DATE AS month, last_day(live_day) AS month_end FROM ctr_cube WHERE NOT EXISTS (SELECT 1 FROM ctr_cube_month))
GROUP BY month, month_end, category, region, image_type, form_filled, first_order
ORDER BY month;

INSERT INTO ctr_cube_provider_month BY NAME
SELECT month, month_end, any_value(month::TIMESTAMPTZ) AS live_at, any_value(month_end + 29) AS window_closed_on,
  provider_id, provider_name,
  sum(live_orders)::BIGINT AS live_orders, min(first_order_id) AS first_order_id, sum(n)::BIGINT AS n,
  sum(bc)::BIGINT AS bc, sum(ba)::BIGINT AS ba, sum(bi)::BIGINT AS bi, sum(rc)::BIGINT AS rc, sum(ra)::BIGINT AS ra, sum(ri)::BIGINT AS ri,
  sum(bc_bc)::BIGINT AS bc_bc, sum(bc_bi)::BIGINT AS bc_bi, sum(bc_rc)::BIGINT AS bc_rc, sum(bc_ri)::BIGINT AS bc_ri,
  sum(bi_bi)::BIGINT AS bi_bi, sum(bi_rc)::BIGINT AS bi_rc, sum(bi_ri)::BIGINT AS bi_ri,
  sum(rc_rc)::BIGINT AS rc_rc, sum(rc_ri)::BIGINT AS rc_ri, sum(ri_ri)::BIGINT AS ri_ri,
  sum(ba_ba)::BIGINT AS ba_ba, sum(ba_bi)::BIGINT AS ba_bi, sum(ba_ra)::BIGINT AS ba_ra, sum(ba_ri)::BIGINT AS ba_ri,
  sum(bi_ra)::BIGINT AS bi_ra, sum(ra_ra)::BIGINT AS ra_ra, sum(ra_ri)::BIGINT AS ra_ri
FROM (SELECT *, date_trunc('month', live_day)::DATE AS month, last_day(live_day) AS month_end FROM ctr_cube_provider WHERE NOT EXISTS (SELECT 1 FROM ctr_cube_provider_month))
GROUP BY month, month_end, provider_id, provider_name
ORDER BY month;
