-- Ratio-of-sums CTR and add-to-cart lift over measurable orders (headline; no CI — the CTR
-- page has it). Appended to ctr_windows.sql as base.
SELECT count(*) FILTER (WHERE measurable) AS measurable_orders,
  (sum(r_clicks) FILTER (WHERE measurable))::DOUBLE / nullif(sum(r_impr) FILTER (WHERE measurable), 0)
    / nullif((sum(b_clicks) FILTER (WHERE measurable))::DOUBLE / nullif(sum(b_impr) FILTER (WHERE measurable), 0), 0) - 1 AS ctr_lift,
  (sum(r_atc) FILTER (WHERE measurable))::DOUBLE / nullif(sum(r_impr) FILTER (WHERE measurable), 0)
    / nullif((sum(b_atc) FILTER (WHERE measurable))::DOUBLE / nullif(sum(b_impr) FILTER (WHERE measurable), 0), 0) - 1 AS atc_lift
FROM base
