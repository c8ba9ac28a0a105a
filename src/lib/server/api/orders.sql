-- The ERP API's view of one seller's orders, one page: status and updated_at computed here, scoped
-- to the token's seller inside the query (every CTE starts from that seller's orders). Used for
-- sellers too big for the in-memory cache (orders-cache.ts, orders-seller.sql: keep the two alike).
--   $seller_id  the token's seller
--   $now_us     epoch microseconds: "now" for auto-acceptance (delivered + 72 h with no dispute)
--   $order_id   NULL for the list, or the one order asked for
--   $statuses   NULL or comma-separated statuses (checked against the enum by the caller)
--   $since_us   NULL or epoch microseconds: updated_at >= it
--   $after_us, $after_id   NULL or the cursor: the (updated_at, order_id) of the last row served
--   $limit      rows to return
-- Speed (see README): time arithmetic is on epoch microseconds (TIMESTAMPTZ + INTERVAL and
-- TIMESTAMPTZ→DATE go through ICU time zones, tens of µs a row), and charges are priced for the
-- page's rows only, after LIMIT, instead of joining the order_charges view (which prices every
-- order of every seller).
WITH o AS (
  SELECT order_id, seller_id, provider_id, sku_id, category, image_type, image_count, rush, languages,
         store_license, published_at, matched_at, first_draft_at, delivered_at, accepted_at, live_at,
         cancelled_at
    FROM orders
   WHERE seller_id = $seller_id
     AND ($order_id::VARCHAR IS NULL OR order_id = $order_id::VARCHAR)
),
rev AS (
  SELECT r.order_id,
         bool_or(r.redelivered_at IS NULL) AS revision_open,
         max(greatest(epoch_us(r.requested_at), epoch_us(r.redelivered_at))) AS revision_event_us
    FROM revisions r SEMI JOIN o USING (order_id)
   GROUP BY r.order_id
),
d AS (
  SELECT order_id, epoch_us(opened_at) AS opened_us, epoch_us(first_response_at) AS first_response_us,
         epoch_us(resolved_at) AS resolved_us, ruling
    FROM disputes SEMI JOIN o USING (order_id)
),
s AS (
  SELECT o.*,
         coalesce(rev.revision_open, false) AS revision_open,
         rev.revision_event_us,
         d.order_id IS NOT NULL AS has_dispute,
         d.opened_us, d.first_response_us, d.resolved_us, d.ruling,
         -- Accepted by silence: 72 h after final delivery with neither acceptance nor dispute.
         CASE WHEN o.accepted_at IS NULL AND o.cancelled_at IS NULL AND d.order_id IS NULL
                   AND epoch_us(o.delivered_at) + 259200000000 <= $now_us::BIGINT
              THEN epoch_us(o.delivered_at) + 259200000000 END AS auto_accepted_us
    FROM o
    LEFT JOIN rev USING (order_id)
    LEFT JOIN d USING (order_id)
),
st AS (
  SELECT s.*,
         CASE
           WHEN cancelled_at IS NOT NULL THEN 'cancelled'
           WHEN ruling = 'provider_fault' THEN 'refunded'
           WHEN has_dispute AND resolved_us IS NULL THEN 'disputed'
           WHEN live_at IS NOT NULL THEN 'live'
           -- A ruling other than provider_fault counts as acceptance at the ruling.
           WHEN accepted_at IS NOT NULL OR auto_accepted_us IS NOT NULL OR resolved_us IS NOT NULL THEN 'accepted'
           WHEN delivered_at IS NOT NULL THEN 'delivered'
           WHEN revision_open THEN 'in_revision'
           WHEN matched_at IS NOT NULL THEN 'matched'
           ELSE 'published'
         END AS status,
         greatest(epoch_us(published_at), epoch_us(matched_at), epoch_us(first_draft_at), epoch_us(delivered_at),
                  epoch_us(accepted_at), epoch_us(live_at), epoch_us(cancelled_at),
                  revision_event_us, opened_us, first_response_us, resolved_us, auto_accepted_us) AS updated_us
    FROM s
),
page AS (
  SELECT *
    FROM st
   WHERE ($statuses::VARCHAR IS NULL OR list_contains(string_split($statuses::VARCHAR, ','), status))
     AND ($since_us::BIGINT IS NULL OR updated_us >= $since_us::BIGINT)
     AND ($after_us::BIGINT IS NULL
          OR updated_us > $after_us::BIGINT
          OR (updated_us = $after_us::BIGINT AND order_id > $after_id::VARCHAR))
   ORDER BY updated_us, order_id
   LIMIT $limit::INTEGER
)
-- The order_charges view's pricing (001_core.sql), for these rows only: the price-list version in
-- force on the Shanghai publishing day; no price row → no charge (the view's inner ASOF join).
SELECT p.order_id, p.seller_id, p.provider_id, p.sku_id, p.category, p.image_type, p.image_count,
       p.rush, p.languages, p.store_license, p.status,
       p.published_at, p.matched_at, p.first_draft_at, p.delivered_at, p.accepted_at, p.auto_accepted_us,
       p.live_at, p.cancelled_at, p.updated_us,
       up.unit_price * p.image_count AS image_fee,
       up.language_unit * len(p.languages) * p.image_count AS language_fee,
       up.unit_price * p.image_count + up.language_unit * len(p.languages) * p.image_count AS total
  FROM page p
  ASOF LEFT JOIN unit_prices up
    ON p.category = up.category
   AND p.image_type = up.image_type
   AND p.rush = up.rush
   AND p.store_license = up.store_license
   AND p.published_at::DATE >= up.effective_from
 ORDER BY p.updated_us, p.order_id;
