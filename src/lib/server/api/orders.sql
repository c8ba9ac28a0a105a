-- The ERP API's view of one seller's orders: status and updated_at computed here, scoped to the
-- token's seller inside the query (every CTE starts from that seller's orders).
--   $seller_id  the token's seller
--   $now        TIMESTAMPTZ text: "now" for auto-acceptance (delivered + 72 h with no dispute)
--   $order_id   NULL for the list, or the one order asked for
--   $statuses   NULL or comma-separated statuses (checked against the enum by the caller)
--   $since_us   NULL or epoch microseconds: updated_at >= it
--   $after_us, $after_id   NULL or the cursor: the (updated_at, order_id) of the last row served
--   $limit      rows to return
WITH o AS (
  SELECT * FROM orders
   WHERE seller_id = $seller_id
     AND ($order_id::VARCHAR IS NULL OR order_id = $order_id::VARCHAR)
),
rev AS (
  SELECT r.order_id,
         bool_or(r.redelivered_at IS NULL) AS revision_open,
         max(greatest(r.requested_at, r.redelivered_at)) AS revision_event_at
    FROM revisions r
   WHERE r.order_id IN (SELECT order_id FROM o)
   GROUP BY r.order_id
),
d AS (
  SELECT order_id, opened_at, first_response_at, resolved_at, ruling
    FROM disputes
   WHERE order_id IN (SELECT order_id FROM o)
),
s AS (
  SELECT o.*,
         coalesce(rev.revision_open, false) AS revision_open,
         rev.revision_event_at,
         d.order_id IS NOT NULL AS has_dispute,
         d.opened_at AS dispute_opened_at,
         d.first_response_at AS dispute_first_response_at,
         d.resolved_at AS dispute_resolved_at,
         d.ruling AS dispute_ruling,
         -- Accepted by silence: 72 h after final delivery with neither acceptance nor dispute.
         CASE WHEN o.accepted_at IS NULL AND o.cancelled_at IS NULL AND d.order_id IS NULL
                   AND o.delivered_at + INTERVAL 72 HOUR <= $now::TIMESTAMPTZ
              THEN o.delivered_at + INTERVAL 72 HOUR END AS auto_accepted_at
    FROM o
    LEFT JOIN rev USING (order_id)
    LEFT JOIN d USING (order_id)
),
st AS (
  SELECT s.*,
         CASE
           WHEN cancelled_at IS NOT NULL THEN 'cancelled'
           WHEN dispute_ruling = 'provider_fault' THEN 'refunded'
           WHEN has_dispute AND dispute_resolved_at IS NULL THEN 'disputed'
           WHEN live_at IS NOT NULL THEN 'live'
           -- A ruling other than provider_fault counts as acceptance at the ruling.
           WHEN accepted_at IS NOT NULL OR auto_accepted_at IS NOT NULL OR dispute_resolved_at IS NOT NULL THEN 'accepted'
           WHEN delivered_at IS NOT NULL THEN 'delivered'
           WHEN revision_open THEN 'in_revision'
           WHEN matched_at IS NOT NULL THEN 'matched'
           ELSE 'published'
         END AS status,
         greatest(published_at, matched_at, first_draft_at, delivered_at, accepted_at, live_at, cancelled_at,
                  revision_event_at, dispute_opened_at, dispute_first_response_at, dispute_resolved_at,
                  auto_accepted_at) AS updated_at
    FROM s
),
page AS (
  SELECT st.*, epoch_us(updated_at) AS updated_us
    FROM st
   WHERE ($statuses::VARCHAR IS NULL OR list_contains(string_split($statuses::VARCHAR, ','), status))
     AND ($since_us::BIGINT IS NULL OR epoch_us(updated_at) >= $since_us::BIGINT)
     AND ($after_us::BIGINT IS NULL
          OR epoch_us(updated_at) > $after_us::BIGINT
          OR (epoch_us(updated_at) = $after_us::BIGINT AND order_id > $after_id::VARCHAR))
   ORDER BY updated_us, order_id
   LIMIT $limit::INTEGER
)
SELECT p.order_id, p.seller_id, p.provider_id, p.sku_id, p.category, p.image_type, p.image_count,
       p.rush, p.languages, p.store_license, p.status,
       p.published_at, p.matched_at, p.first_draft_at, p.delivered_at, p.accepted_at, p.auto_accepted_at,
       p.live_at, p.cancelled_at, p.updated_at, p.updated_us,
       c.image_fee, c.language_fee, c.total
  FROM page p
  LEFT JOIN (SELECT order_id, image_fee, language_fee, total FROM order_charges WHERE seller_id = $seller_id) c USING (order_id)
 ORDER BY p.updated_us, p.order_id;
