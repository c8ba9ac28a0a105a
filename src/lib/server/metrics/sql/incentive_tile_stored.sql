-- Overview incentive tile from the stored decisions (incentive_decisions: THE rule's output per live
-- order with its window closed): the amounts of windows closing in [$inc_from, $inc_to] before
-- $today, per close day. One row `stale` when the table was made by another rule version (the rule placeholder
-- is our own constant): the caller then decides the candidates itself. The decisions placeholder:
-- incentive_decisions (a seller's) or incentive_day_totals (its sums per close day, all sellers).
SELECT close_day, sum(amount_fen)::BIGINT AS fen, false AS stale
FROM {{decisions}}
WHERE close_day BETWEEN $inc_from AND $inc_to AND close_day < $today {{and_where}}
  AND EXISTS (SELECT 1 FROM preagg_state WHERE key = 'incentive_rule' AND value = {{rule}})
GROUP BY close_day
UNION ALL
SELECT NULL, NULL, true
WHERE NOT EXISTS (SELECT 1 FROM preagg_state WHERE key = 'incentive_rule' AND value = {{rule}})
