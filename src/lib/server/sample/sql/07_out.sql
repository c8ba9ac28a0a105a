-- The contract's tables with their column names; index.ts picks the columns in contract order and
-- formats them (CSV text or native Parquet types).
CREATE OR REPLACE TEMP VIEW out_providers AS SELECT provider_id, name, certified_at FROM g_providers;
CREATE OR REPLACE TEMP VIEW out_sellers AS SELECT * FROM g_sellers2;
CREATE OR REPLACE TEMP VIEW out_orders AS SELECT * FROM g_orders;
CREATE OR REPLACE TEMP VIEW out_revisions AS SELECT * FROM g_revisions;
CREATE OR REPLACE TEMP VIEW out_disputes AS SELECT * FROM g_disputes;
CREATE OR REPLACE TEMP VIEW out_delistings AS SELECT * FROM g_delistings;
CREATE OR REPLACE TEMP VIEW out_payments AS SELECT * FROM g_payments;
-- Generated on the fly while written (never materialised: ~130M rows at scale 100). One keyed hash
-- a row, re-mixed into three 64-bit values, each sliced into three 21-bit uniforms.
CREATE OR REPLACE TEMP VIEW out_ctr_daily AS
WITH days AS (
  SELECT n, sku_id, dn_live, lift_c, ctr0, imp0, cvr0, cvr_mult, unnest(range(dn0, dn1 + 1)) AS dn FROM g_skus
), h AS (
  SELECT days.*, DATE '2000-01-01' + dn::INTEGER AS date,
    hash(hash(getvariable('seed'), n, dn)) AS h1
  FROM days
), h2 AS (
  SELECT h.*, hash(h1) AS h2, hash(h1 + 1) AS h3 FROM h
), x AS (
  SELECT sku_id, date, dn, h3,
    exp(-pow((dayofyear(date) - 315) / 7.0, 2)) AS d11,
    isodow(date) >= 6 AS weekend,
    CASE WHEN dn >= dn_live THEN 1 + lift_c ELSE 1 END AS lift,
    CASE WHEN dn >= dn_live THEN cvr_mult ELSE 1 END AS cvm,
    ctr0, imp0, cvr0,
    bm(slice(h1, 0), slice(h1, 1)) AS ni, bm(slice(h1, 2), slice(h2, 0)) AS nc, bm(slice(h2, 1), slice(h2, 2)) AS na
  FROM h2
), imp AS (
  SELECT x.*,
    floor(imp0 * (CASE WHEN weekend THEN 1.2 ELSE 1 END) * (1 + 0.3 * d11) * exp(0.2 * ni - 0.02) + slice(h3, 0))::INTEGER AS impressions,
    ctr0 * lift * (1 + 0.08 * d11) * (1 + 0.04 * sin(2 * pi() * dayofyear(date) / 365.0)) * exp(0.25 * nc - 0.03125) AS ctr
  FROM x
), clk AS (
  SELECT imp.*, least(impressions, floor(impressions * ctr + slice(h3, 1)))::INTEGER AS clicks FROM imp
)
SELECT sku_id, date, impressions, clicks,
  least(clicks, floor(clicks * cvr0 * cvm * exp(0.2 * na - 0.02) + slice(h3, 2)))::INTEGER AS add_to_cart
FROM clk;
