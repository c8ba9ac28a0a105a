-- Milestones. Times before delivery are drawn as fractions of the order's window (publishing → deadline),
-- so ~93% can be placed on time exactly and the rest late; after delivery they are hours.
-- Everything at or after the cutoff (as_of 00:00) is not yet known: nulled, or its row left out.
CREATE OR REPLACE TEMP TABLE g_plan AS
WITH w AS (
  SELECT o.*, hours_between(published_at, deadline) AS win,
    u('cx', oid) < 0.02 AS cancelled,
    CASE WHEN rush THEN 0.25 + 0.35 * u('f1', oid)
         ELSE least(0.8, greatest(0.06, exp(ln(getvariable('fd_median')) + 0.38 * nrm('f1', oid)))) END AS f1,
    CASE WHEN u('rw', oid) >= CASE WHEN first_order THEN (CASE WHEN spec_form_filled THEN 0.10 ELSE 0.50 END)
                                   ELSE (CASE WHEN spec_form_filled THEN 0.055 ELSE 0.26 END) END THEN 0
         WHEN u('rn', oid) < 0.70 THEN 1 WHEN u('rn', oid) < 0.92 THEN 2 ELSE 3 END AS n_rev,
    CASE WHEN rush THEN u('late', oid) < 0.12 ELSE u('late', oid) < 0.065 END AS late
  FROM g_orders1 o
)
SELECT w.*,
  -- revision steps (request after a draft, then the revised draft), in window units
  list_transform(range(n_rev), r -> 0.02 + 0.05 * u2('ra', oid, r)) AS ra,
  list_transform(range(n_rev), r -> 0.04 + 0.08 * u2('rb', oid, r)) AS rb
FROM w;

CREATE OR REPLACE TEMP TABLE g_time AS
WITH t AS (
  SELECT p.*,
    f1 + coalesce(list_sum(ra), 0) + coalesce(list_sum(rb), 0) + 0.02 + 0.10 * u('fd', oid) AS fd_raw
  FROM g_plan p
), s AS (
  SELECT t.*,
    CASE WHEN NOT late AND fd_raw > 0.985 THEN 0.985 / fd_raw ELSE 1 END AS squeeze,
    CASE WHEN late AND fd_raw <= 1 THEN 1.005 + 0.25 * u('lt', oid)
         WHEN NOT late AND fd_raw > 0.985 THEN 0.985 ELSE fd_raw END AS fd_f
  FROM t
)
SELECT s.*,
  f1 * squeeze * win AS first_h,
  fd_f * win AS deliver_h,
  least(0.1 + exp(0.8 * nrm('mt', oid)), 0.5 * f1 * squeeze * win) AS match_h,
  f1 * squeeze * win * (0.1 + 0.8 * u('cxt', oid)) AS cancel_h,
  -- after delivery (hours from delivery)
  u('dsp', oid) < 0.03 AS disputed,
  0.05 + 71.4 * pow(u('dso', oid), 1.5) AS open_h,
  exp(ln(0.6) + 0.8 * nrm('dfr', oid)) AS respond_h,
  exp(ln(31.2) - 0.125 + 0.5 * nrm('dar', oid)) AS arbitrate_h,
  CASE WHEN u('rul', oid) < 0.35 THEN 'provider_fault' WHEN u('rul', oid) < 0.65 THEN 'unclear_requirement' ELSE 'rejected' END AS ruling,
  CASE WHEN u('acc', oid) < 0.80 THEN least(71.5, exp(ln(10) + 1.0 * nrm('acct', oid))) ELSE 72 END AS accept_h,
  least(48, greatest(1, exp(ln(8) + 0.8 * nrm('live', oid)))) AS live_h
FROM s;

DROP TABLE g_plan; -- each stage is dropped once the next exists (memory at scale 100)

-- absolute times, before the cutoff is applied
CREATE OR REPLACE TEMP TABLE g_abs AS
SELECT t.*,
  plus_h(published_at, match_h) AS t_match,
  CASE WHEN cancelled THEN plus_h(published_at, cancel_h) END AS t_cancel,
  CASE WHEN NOT cancelled THEN plus_h(published_at, first_h) END AS t_first,
  CASE WHEN NOT cancelled THEN plus_h(published_at, deliver_h) END AS t_deliver,
  CASE WHEN NOT cancelled AND disputed THEN plus_h(published_at, deliver_h + open_h) END AS t_open,
  CASE WHEN NOT cancelled AND disputed THEN plus_h(published_at, deliver_h + open_h + respond_h) END AS t_respond,
  CASE WHEN NOT cancelled AND disputed THEN plus_h(published_at, deliver_h + open_h + greatest(arbitrate_h, respond_h + 0.2)) END AS t_resolve
FROM g_time t;
DROP TABLE g_time;

CREATE OR REPLACE TEMP TABLE g_abs2 AS
SELECT a.*,
  CASE WHEN cancelled THEN NULL
       WHEN disputed THEN CASE WHEN ruling <> 'provider_fault' THEN t_resolve END
       WHEN accept_h = 72 THEN t_deliver + INTERVAL 72 HOUR
       ELSE plus_h(t_deliver, accept_h) END AS t_accept
FROM g_abs a;
DROP TABLE g_abs;

CREATE OR REPLACE TEMP TABLE g_orders AS
WITH c AS (SELECT getvariable('as_of')::TIMESTAMP AS cutoff)
SELECT a.oid, a.order_id, a.seller_id, a.provider_id, a.sku_id, a.category, a.image_type, a.image_count, a.rush,
  a.languages, a.store_license, a.delivery_days, a.reference_images, a.has_3d_model, a.spec_form_filled, a.published_at,
  CASE WHEN t_match < cutoff AND (t_cancel IS NULL OR t_match < t_cancel) THEN t_match END AS matched_at,
  CASE WHEN t_first < cutoff THEN t_first END AS first_draft_at,
  CASE WHEN t_deliver < cutoff THEN t_deliver END AS delivered_at,
  CASE WHEN t_accept < cutoff THEN t_accept END AS accepted_at,
  CASE WHEN plus_h(t_accept, live_h) < cutoff THEN plus_h(t_accept, live_h) END AS live_at,
  CASE WHEN t_cancel < cutoff THEN t_cancel END AS cancelled_at,
  a.bid, a.j, a.first_order, a.disputed, a.ruling, a.t_open, a.t_respond, a.t_resolve, a.ra, a.rb, a.f1, a.squeeze, a.win, a.n_rev
FROM g_abs2 a, c;
DROP TABLE g_abs2;
DROP TABLE g_orders1;

CREATE OR REPLACE TEMP TABLE g_revisions AS
WITH r AS (
  SELECT order_id, oid, published_at, win, squeeze, f1, ra, rb, unnest(range(n_rev)) AS r FROM g_orders WHERE n_rev > 0 AND first_draft_at IS NOT NULL
), t AS (
  SELECT r.*,
    f1 + coalesce(list_sum(ra[1:r]), 0) + coalesce(list_sum(rb[1:r]), 0) + ra[r + 1] AS req_f,
    f1 + coalesce(list_sum(ra[1:r]), 0) + coalesce(list_sum(rb[1:r]), 0) + ra[r + 1] + rb[r + 1] AS red_f
  FROM r
)
SELECT order_id, oid, r,
  plus_h(published_at, req_f * squeeze * win) AS requested_at,
  CASE WHEN plus_h(published_at, red_f * squeeze * win) < getvariable('as_of')::TIMESTAMP
       THEN plus_h(published_at, red_f * squeeze * win) END AS redelivered_at,
  CASE WHEN u2('rc', oid, r) < 0.06 THEN 'R01' WHEN u2('rc', oid, r) < 0.14 THEN 'R02' WHEN u2('rc', oid, r) < 0.28 THEN 'R03'
       WHEN u2('rc', oid, r) < 0.39 THEN 'R04' WHEN u2('rc', oid, r) < 0.49 THEN 'R05' WHEN u2('rc', oid, r) < 0.65 THEN 'R06'
       WHEN u2('rc', oid, r) < 0.78 THEN 'R07' WHEN u2('rc', oid, r) < 0.84 THEN 'R08' WHEN u2('rc', oid, r) < 0.89 THEN 'R09'
       WHEN u2('rc', oid, r) < 0.94 THEN 'R10' WHEN u2('rc', oid, r) < 0.98 THEN 'R11' ELSE 'R12' END AS reason_code
FROM t
WHERE plus_h(published_at, req_f * squeeze * win) < getvariable('as_of')::TIMESTAMP;

CREATE OR REPLACE TEMP TABLE g_disputes AS
SELECT 'D' || lpad(oid::VARCHAR, 10, '0') AS dispute_id, order_id, oid,
  t_open AS opened_at,
  CASE WHEN u('drc', oid) < 0.05 THEN 'R01' WHEN u('drc', oid) < 0.13 THEN 'R02' WHEN u('drc', oid) < 0.30 THEN 'R03'
       WHEN u('drc', oid) < 0.40 THEN 'R04' WHEN u('drc', oid) < 0.49 THEN 'R05' WHEN u('drc', oid) < 0.64 THEN 'R06'
       WHEN u('drc', oid) < 0.74 THEN 'R07' WHEN u('drc', oid) < 0.80 THEN 'R08' WHEN u('drc', oid) < 0.86 THEN 'R09'
       WHEN u('drc', oid) < 0.91 THEN 'R10' WHEN u('drc', oid) < 0.96 THEN 'R11' ELSE 'R12' END AS reason_code,
  CASE WHEN t_respond < getvariable('as_of')::TIMESTAMP THEN t_respond END AS first_response_at,
  CASE WHEN t_resolve < getvariable('as_of')::TIMESTAMP THEN t_resolve END AS resolved_at,
  CASE WHEN t_resolve < getvariable('as_of')::TIMESTAMP THEN ruling END AS ruling
FROM g_orders
WHERE disputed AND delivered_at IS NOT NULL AND t_open < getvariable('as_of')::TIMESTAMP;

-- listings taken down because of a delivered image: ~0.3% of live orders, claims ¥800–12,000
CREATE OR REPLACE TEMP TABLE g_delistings AS
WITH d AS (
  SELECT order_id, oid, plus_h(live_at, 24 * (3 + 57 * u('dlt', oid))) AS delisted_at
  FROM g_orders WHERE live_at IS NOT NULL AND u('dl', oid) < 0.003
), e AS (
  SELECT d.*,
    plus_h(delisted_at, exp(ln(20) + 0.6 * nrm('dla', oid))) AS t_acc,
    CASE WHEN u('dlc', oid) < 0.35 THEN round(80000 * pow(15, pow(u('dll', oid), 1.5)))::BIGINT
         ELSE (round(800 * pow(15, pow(u('dll', oid), 1.5))) * 100)::BIGINT END AS claimed_loss
  FROM d WHERE delisted_at < getvariable('as_of')::TIMESTAMP
)
SELECT 'L' || lpad(oid::VARCHAR, 10, '0') AS delisting_id, order_id, oid, delisted_at, claimed_loss,
  CASE WHEN t_acc < getvariable('as_of')::TIMESTAMP THEN t_acc END AS accountability_started_at,
  CASE WHEN u('dlp', oid) < 0.88 AND plus_h(t_acc, 24 * (1 + 9 * u('dlpt', oid))) < getvariable('as_of')::TIMESTAMP
       THEN plus_h(t_acc, 24 * (1 + 9 * u('dlpt', oid))) END AS compensated_at
FROM e;
