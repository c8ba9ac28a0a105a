-- All of one seller's orders for the API's in-memory page cache (orders-cache.ts), scoped to the
-- token's seller inside the query. Same rules as orders.sql, but without "now": the one thing that
-- depends on it, acceptance by silence, is given both ways and picked per request:
--   auto_at_us           delivered + 72 h when acceptance by silence can apply (no acceptance,
--                        no cancellation, no dispute), else NULL
--   status_auto / updated_auto_us   once now >= auto_at_us
--   status / updated_us             before that (or when auto_at_us is NULL)
--   $seller_id  the token's seller
WITH o AS (
  SELECT order_id, seller_id, provider_id, sku_id, category, image_type, image_count, rush, languages,
         store_license, published_at, matched_at, first_draft_at, delivered_at, accepted_at, live_at,
         cancelled_at
    FROM orders
   WHERE seller_id = $seller_id
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
         CASE WHEN o.accepted_at IS NULL AND o.cancelled_at IS NULL AND d.order_id IS NULL
              THEN epoch_us(o.delivered_at) + 259200000000 END AS auto_at_us
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
           WHEN accepted_at IS NOT NULL OR resolved_us IS NOT NULL THEN 'accepted'
           WHEN delivered_at IS NOT NULL THEN 'delivered'
           WHEN revision_open THEN 'in_revision'
           WHEN matched_at IS NOT NULL THEN 'matched'
           ELSE 'published'
         END AS status,
         -- With the auto-acceptance passed (the CASE of orders.sql with auto_accepted_at set).
         CASE
           WHEN cancelled_at IS NOT NULL THEN 'cancelled'
           WHEN ruling = 'provider_fault' THEN 'refunded'
           WHEN has_dispute AND resolved_us IS NULL THEN 'disputed'
           WHEN live_at IS NOT NULL THEN 'live'
           WHEN accepted_at IS NOT NULL OR auto_at_us IS NOT NULL OR resolved_us IS NOT NULL THEN 'accepted'
           WHEN delivered_at IS NOT NULL THEN 'delivered'
           WHEN revision_open THEN 'in_revision'
           WHEN matched_at IS NOT NULL THEN 'matched'
           ELSE 'published'
         END AS status_auto,
         greatest(epoch_us(published_at), epoch_us(matched_at), epoch_us(first_draft_at), epoch_us(delivered_at),
                  epoch_us(accepted_at), epoch_us(live_at), epoch_us(cancelled_at),
                  revision_event_us, opened_us, first_response_us, resolved_us) AS updated_us
    FROM s
)
-- Charges: the order_charges view's pricing (001_core.sql) for this seller's rows only.
SELECT p.order_id, p.seller_id, p.provider_id, p.sku_id, p.category, p.image_type, p.image_count,
       p.rush, p.languages, p.store_license, p.status, p.status_auto, p.auto_at_us,
       p.published_at, p.matched_at, p.first_draft_at, p.delivered_at, p.accepted_at,
       p.live_at, p.cancelled_at, p.updated_us, greatest(p.updated_us, p.auto_at_us) AS updated_auto_us,
       up.unit_price * p.image_count AS image_fee,
       up.language_unit * len(p.languages) * p.image_count AS language_fee,
       up.unit_price * p.image_count + up.language_unit * len(p.languages) * p.image_count AS total
  FROM st p
  ASOF LEFT JOIN unit_prices up
    ON p.category = up.category
   AND p.image_type = up.image_type
   AND p.rush = up.rush
   AND p.store_license = up.store_license
   AND p.published_at::DATE >= up.effective_from;
