-- rework.sql over order_facts: the revision count is stored per order.
SELECT od.*, od.f_revisions AS revisions, od.f_revisions > 0 AS reworked
FROM od
WHERE od.first_draft_at IS NOT NULL
