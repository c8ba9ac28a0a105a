-- Platform metrics computed with plain SQL over a loaded sample folder (tables s_<name>, all text).
-- One row of named figures; the calibration test compares them with the domain's benchmarks.
WITH o AS (
  SELECT order_id, seller_id, sku_id, category, spec_form_filled = 'true' AS filled,
    published_at::TIMESTAMPTZ AS pub, first_draft_at::TIMESTAMPTZ AS fd, delivered_at::TIMESTAMPTZ AS dl,
    live_at::TIMESTAMPTZ AS live, cancelled_at::TIMESTAMPTZ AS cx
  FROM s_orders
), rw AS (SELECT DISTINCT order_id FROM s_revisions),
firsts AS (SELECT order_id, row_number() OVER (PARTITION BY seller_id ORDER BY pub, order_id) = 1 AS first_order FROM o),
rework AS (
  SELECT
    avg((rw.order_id IS NOT NULL)::INT) AS rework_rate,
    avg((rw.order_id IS NOT NULL)::INT) FILTER (WHERE filled) AS rework_filled,
    avg((rw.order_id IS NOT NULL)::INT) FILTER (WHERE NOT filled) AS rework_unfilled,
    count(*) FILTER (WHERE f.first_order AND rw.order_id IS NOT NULL AND NOT filled)
      / nullif(count(*) FILTER (WHERE f.first_order AND rw.order_id IS NOT NULL), 0) AS first_rework_unfilled_share,
    avg(epoch(fd) - epoch(pub)) / 3600 AS first_draft_h
  FROM o LEFT JOIN rw USING (order_id) JOIN firsts f USING (order_id) WHERE fd IS NOT NULL
), disp AS (
  SELECT avg(epoch(resolved_at::TIMESTAMPTZ) - epoch(opened_at::TIMESTAMPTZ)) / 3600 AS arbitration_h,
    count(DISTINCT ruling) FILTER (WHERE ruling <> '') AS rulings,
    count(*) / (SELECT count(*) FROM o WHERE dl IS NOT NULL) AS dispute_rate,
    avg((epoch(first_response_at::TIMESTAMPTZ) - epoch(opened_at::TIMESTAMPTZ) <= 7200)::INT) AS response_ok
  FROM s_disputes WHERE resolved_at <> '' OR first_response_at <> ''
), codes AS (
  SELECT count(DISTINCT reason_code) AS revision_codes FROM s_revisions
), dcodes AS (SELECT count(DISTINCT reason_code) AS dispute_codes FROM s_disputes),
sel AS (
  SELECT avg((region IN ('shenzhen', 'yiwu', 'guangzhou'))::INT) AS region_share FROM s_sellers
), claims AS (
  SELECT count(*) FILTER (WHERE claimed_loss::DECIMAL(18, 2) > 5000) AS claims_above,
         count(*) FILTER (WHERE claimed_loss::DECIMAL(18, 2) <= 5000) AS claims_below FROM s_delistings
), ontime AS (
  SELECT avg((dl <= CASE WHEN x.rush = 'true' THEN x.pub + INTERVAL 24 HOUR
              ELSE (w.day + INTERVAL 1 DAY)::TIMESTAMP::TIMESTAMPTZ END)::INT) AS on_time
  FROM (SELECT o.*, s.rush, s.delivery_days::INT AS n, c.workday_seq AS seq FROM o JOIN s_orders s USING (order_id)
        JOIN calendar_days c ON c.day = o.pub::DATE WHERE o.dl IS NOT NULL) x
  LEFT JOIN (SELECT workday_seq, min(day) AS day FROM calendar_days WHERE is_workday GROUP BY ALL) w ON w.workday_seq = x.seq + x.n
  WHERE x.rush = 'true' OR w.day IS NOT NULL
), refunded AS (SELECT order_id FROM s_disputes WHERE ruling = 'provider_fault'),
ctr AS (SELECT sku_id, date::DATE AS d, impressions::BIGINT AS i, clicks::BIGINT AS c, add_to_cart::BIGINT AS a FROM s_ctr_daily),
win AS (
  SELECT o.order_id,
    sum(i) FILTER (WHERE d < o.live::DATE) AS bi, sum(c) FILTER (WHERE d < o.live::DATE) AS bc, sum(a) FILTER (WHERE d < o.live::DATE) AS ba,
    sum(i) FILTER (WHERE d >= o.live::DATE) AS ri, sum(c) FILTER (WHERE d >= o.live::DATE) AS rc, sum(a) FILTER (WHERE d >= o.live::DATE) AS ra
  FROM o JOIN ctr ON ctr.sku_id = o.sku_id AND ctr.d BETWEEN o.live::DATE - 7 AND o.live::DATE + 29
  WHERE o.live IS NOT NULL AND o.live::DATE + 29 < getvariable('as_of') AND o.order_id NOT IN (SELECT order_id FROM refunded)
  GROUP BY o.order_id
), lift AS (
  SELECT (sum(rc) / sum(ri)) / (sum(bc) / sum(bi)) - 1 AS ctr_lift,
         (sum(ra) / sum(ri)) / (sum(ba) / sum(bi)) - 1 AS atc_lift,
         count(*) AS measurable
  FROM win WHERE bi >= 1000 AND ri >= 1000 AND bc > 0
)
SELECT * FROM rework, disp, codes, dcodes, sel, claims, ontime, lift;
