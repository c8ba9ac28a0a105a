-- Rework rate = orders with ≥ 1 revision ÷ orders with a first draft, by month of first_draft_at.
SELECT od.*, coalesce(r.revisions, 0) AS revisions, coalesce(r.revisions, 0) > 0 AS reworked
FROM od
LEFT JOIN (SELECT order_id, count(*) AS revisions FROM revisions GROUP BY order_id) r USING (order_id)
WHERE od.first_draft_at IS NOT NULL
