-- Whether the pre-aggregates hold every successful load and every order (direct writes that
-- bypass the loader — tests, repairs — make them stale, and readers fall back to the raw tables).
SELECT coalesce((SELECT value FROM preagg_state WHERE key = 'applied_load'), '-1')
    = coalesce((SELECT max(load_id) FROM loads WHERE status <> 'failed'), 0)::VARCHAR
  AND (SELECT count(*) FROM orders) = (SELECT count(*) FROM order_facts) AS fresh,
  -- the monthly rollups: their definitions' version and watermark (preagg/rollups.ts)
  (SELECT value FROM preagg_state WHERE key = 'rollups') AS rollups,
  (SELECT value FROM preagg_state WHERE key = 'rollup_wm') AS rollup_wm,
  (SELECT value FROM preagg_state WHERE key = 'rollup_unsettled') AS rollup_unsettled
