-- The orders whose facts a load changed: rows of orders/revisions/disputes/delistings written by
-- loads after $since, and the orders of sellers/providers those loads changed (names, region).
CREATE OR REPLACE TEMP TABLE _preagg_touched AS
SELECT order_id, seller_id FROM orders
WHERE _load_id > $since
   OR order_id IN (
     SELECT order_id FROM revisions WHERE _load_id > $since
     UNION SELECT order_id FROM disputes WHERE _load_id > $since
     UNION SELECT order_id FROM delistings WHERE _load_id > $since)
   OR seller_id IN (SELECT seller_id FROM sellers WHERE _load_id > $since)
   OR provider_id IN (SELECT provider_id FROM providers WHERE _load_id > $since)
