-- Orders whose milestones are missing or contradictory (loaded anyway; listed for ops).
-- "live without acceptance": live with no accepted_at while it could not yet have been
-- auto-accepted (no delivery, or live before delivery + 72 h).
SELECT o.order_id, o.seller_id, o.provider_id, o.published_at, o.first_draft_at, o.delivered_at, o.accepted_at, o.live_at, o.cancelled_at,
  list_filter([
    CASE WHEN o.delivered_at IS NOT NULL AND o.first_draft_at IS NULL THEN 'delivered without first draft' END,
    CASE WHEN o.accepted_at IS NOT NULL AND o.delivered_at IS NULL THEN 'accepted without delivery' END,
    CASE WHEN o.live_at IS NOT NULL AND o.delivered_at IS NULL THEN 'live without delivery' END,
    CASE WHEN o.live_at IS NOT NULL AND o.accepted_at IS NULL AND o.delivered_at IS NOT NULL
      AND o.live_at < o.delivered_at + INTERVAL 72 HOUR THEN 'live without acceptance' END,
    CASE WHEN o.delivered_at IS NOT NULL AND o.cancelled_at IS NOT NULL THEN 'delivered and cancelled' END,
    CASE WHEN o.live_at IS NOT NULL AND d.ruling = 'provider_fault' THEN 'refunded but live' END
  ], x -> x IS NOT NULL) AS problems
FROM orders o
LEFT JOIN disputes d USING (order_id)
WHERE (o.delivered_at IS NOT NULL AND o.first_draft_at IS NULL)
   OR (o.accepted_at IS NOT NULL AND o.delivered_at IS NULL)
   OR (o.live_at IS NOT NULL AND o.delivered_at IS NULL)
   OR (o.live_at IS NOT NULL AND o.accepted_at IS NULL AND o.delivered_at IS NOT NULL AND o.live_at < o.delivered_at + INTERVAL 72 HOUR)
   OR (o.delivered_at IS NOT NULL AND o.cancelled_at IS NOT NULL)
   OR (o.live_at IS NOT NULL AND d.ruling = 'provider_fault')
