-- Orders: each seller publishes "bundles" (one SKU, 1–3 orders published together: a main image job
-- and often a scene job) evenly over their active span. Because 20% of sellers predate the history
-- and the rest join evenly, the platform's monthly volume ramps up from ~500 × scale to ~2,500 × scale
-- orders a month: ~27,000 × scale orders over the 18 months (README.md).
CREATE OR REPLACE TEMP TABLE g_active AS
WITH a AS (
  SELECT s.*, greatest(service_opened_at, getvariable('hist_start')::TIMESTAMP) AS active_from,
         hours_between(greatest(service_opened_at, getvariable('hist_start')::TIMESTAMP), getvariable('as_of')::TIMESTAMP) / 730.0 AS months
  FROM g_sellers2 s
)
-- weights in integers: a float sum's last bits depend on how threads split it, an integer sum does not
SELECT a.*, floor(round(w * months * 1e6) / sum(round(w * months * 1e6)::BIGINT) OVER () * 18000 * getvariable('scale') + u('nb', i))::BIGINT AS n_bundles
FROM a;

CREATE OR REPLACE TEMP TABLE g_bundles AS
WITH b AS (
  SELECT seller_id, i AS si, active_from, license_from, license_provider_id, main_category,
         unnest(range(n_bundles)) AS k
  FROM g_active WHERE n_bundles > 0
), keyed AS (
  SELECT b.*, row_number() OVER (ORDER BY si, k) AS bid FROM b
), timed AS (
  SELECT keyed.*,
    -- a day in the active span, then a time of day peaking mid-afternoon (08:00–22:00)
    date_trunc('day', plus_h(active_from, u('bd', bid) * hours_between(active_from, getvariable('as_of')::TIMESTAMP)))
      + INTERVAL 1 SECOND * CAST(3600 * (8 + 14 * (u('bh1', bid) + u('bh2', bid)) / 2) AS BIGINT) AS t_raw
  FROM keyed
)
SELECT bid, seller_id, si, license_from, license_provider_id,
  greatest(t_raw, plus_h(active_from, 0.2 + u('bx', bid))) AS bundle_at,
  'SKU' || lpad(bid::VARCHAR, 9, '0') AS sku_id,
  CASE WHEN u('cat', bid) < 0.7 THEN main_category
       ELSE pick(['apparel', 'apparel', 'apparel', 'home', 'home', 'electronics', 'electronics', 'shoes_bags', 'shoes_bags',
                  'toys', 'toys', 'beauty', 'jewelry'], u('cat2', bid)) END AS category,
  CASE WHEN u('bs', bid) < 0.62 THEN 1 WHEN u('bs', bid) < 0.9 THEN 2 ELSE 3 END AS n_orders,
  u('rush', bid) < 0.10 AS rush,
  p.provider_id AS random_provider
FROM timed
ASOF JOIN g_provider_cdf p ON u('prov', timed.bid) >= p.lo;

CREATE OR REPLACE TEMP TABLE g_orders0 AS
WITH o AS (
  SELECT b.*, unnest(range(1, n_orders + 1)) AS j FROM g_bundles b
), keyed AS (
  SELECT o.*, row_number() OVER (ORDER BY bid, j) AS oid FROM o
), p AS (
  SELECT keyed.*,
    plus_h(bundle_at, (j - 1) * (0.08 + 0.9 * u('oj', oid))) AS published_at,
    license_from IS NOT NULL AND bundle_at::DATE >= license_from AS under_license
  FROM keyed
)
SELECT
  oid, 'O' || lpad(oid::VARCHAR, 10, '0') AS order_id, seller_id, sku_id, category, bid, j, published_at, rush,
  -- licensed sellers use their bound studio; about 0.5% of orders carry a licence flag that disagrees
  CASE WHEN under_license AND u('mis', oid) < 0.004 AND random_provider <> license_provider_id THEN random_provider
       WHEN under_license THEN license_provider_id ELSE random_provider END AS provider_id,
  CASE WHEN under_license THEN TRUE ELSE u('mis', oid) < 0.003 END AS store_license,
  CASE WHEN j = 1 THEN CASE WHEN u('it', oid) < 0.82 THEN 'main' ELSE 'scene' END
       ELSE CASE WHEN u('it', oid) < 0.25 THEN 'main' ELSE 'scene' END END AS image_type,
  1 + floor(9 * pow(u('ic', oid), 2))::INT AS image_count,
  CASE WHEN u('lg', oid) < 0.55 THEN NULL WHEN u('lg', oid) < 0.78 THEN 'en' WHEN u('lg', oid) < 0.84 THEN 'en;de'
       WHEN u('lg', oid) < 0.88 THEN 'fr' WHEN u('lg', oid) < 0.91 THEN 'es;pt' WHEN u('lg', oid) < 0.935 THEN 'de'
       WHEN u('lg', oid) < 0.955 THEN 'en;fr' WHEN u('lg', oid) < 0.97 THEN 'es' WHEN u('lg', oid) < 0.985 THEN 'en;es;fr'
       ELSE 'pt' END AS languages,
  CASE WHEN rush THEN 3 ELSE 3 + floor(5 * pow(u('dd', oid), 1.3))::INT END AS delivery_days,
  floor(pow(u('ri', oid), 0.7) * 9)::INT AS reference_images,
  u('3d', oid) < 0.08 AS has_3d_model
FROM p;

-- first order of each seller (for the form and rework rates)
CREATE OR REPLACE TEMP TABLE g_orders1 AS
WITH f AS (
  SELECT o.*, row_number() OVER (PARTITION BY seller_id ORDER BY published_at, oid) = 1 AS first_order FROM g_orders0 o
), d AS (
  SELECT f.*,
    -- new sellers often skip the requirement form; later most fill it
    CASE WHEN first_order THEN u('form', oid) < 0.45 ELSE u('form', oid) < 0.76 END AS spec_form_filled,
    c.seq AS pub_seq
  FROM f JOIN gen_cal c ON c.day = f.published_at::DATE
), workdays AS (SELECT seq, day FROM gen_cal WHERE is_workday)
-- deadline: 24:00 of the N-th working day after the publishing day; rush: 24 h after publishing
SELECT d.*,
  CASE WHEN rush THEN plus_h(published_at, 24) ELSE w.day::TIMESTAMP + INTERVAL 1 DAY END AS deadline
FROM d LEFT JOIN workdays w ON w.seq = d.pub_seq + d.delivery_days;

DROP TABLE g_orders0;
DROP TABLE g_active;
