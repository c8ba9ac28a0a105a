-- Per live order: baseline window L−7 … L−1 and result window L … L+29 (L = Shanghai day of
-- live_at), summed IN SQL from ctr_daily; a day without a row counts 0. "measurable" is the
-- headline's rule (domain "Metrics"): not refunded, window closed (L+29 < $today), ≥ 1,000
-- impressions in both windows, baseline CTR > 0. The and_where placeholder takes the request's filters and
-- scope so that only the orders asked for are expanded to days.
WITH lo AS (
  SELECT * FROM (
    SELECT od.*, od.live_at::DATE AS live_day, od.live_at::DATE + 29 AS window_closed_on,
      coalesce(d.ruling = 'provider_fault', false) AS refunded
    FROM od
    LEFT JOIN disputes d USING (order_id)
  )
  WHERE live_at IS NOT NULL {{and_where}}
),
days AS (
  SELECT lo.order_id, lo.sku_id, r.k, lo.live_day + r.k::INTEGER AS date
  FROM lo, range(-7, 30) r(k)
),
sums AS (
  SELECT days.order_id,
    coalesce(sum(c.impressions) FILTER (WHERE days.k < 0), 0)::BIGINT AS b_impr,
    coalesce(sum(c.clicks) FILTER (WHERE days.k < 0), 0)::BIGINT AS b_clicks,
    coalesce(sum(c.add_to_cart) FILTER (WHERE days.k < 0), 0)::BIGINT AS b_atc,
    coalesce(sum(c.impressions) FILTER (WHERE days.k >= 0), 0)::BIGINT AS r_impr,
    coalesce(sum(c.clicks) FILTER (WHERE days.k >= 0), 0)::BIGINT AS r_clicks,
    coalesce(sum(c.add_to_cart) FILTER (WHERE days.k >= 0), 0)::BIGINT AS r_atc
  FROM days
  LEFT JOIN ctr_daily c ON c.sku_id = days.sku_id AND c.date = days.date
  GROUP BY days.order_id
)
SELECT lo.*, s.b_impr, s.b_clicks, s.b_atc, s.r_impr, s.r_clicks, s.r_atc,
  (NOT lo.refunded AND lo.window_closed_on < CAST($today AS DATE)
    AND s.b_impr >= 1000 AND s.r_impr >= 1000 AND s.b_clicks > 0) AS measurable
FROM lo
JOIN sums s USING (order_id)
