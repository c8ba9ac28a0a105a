-- incentive_decisions: for every live order, the output of decideIncentiveFromSums
-- (src/lib/server/metrics/incentive-sums.ts, THE incentive rule) on its order_facts / order_windows
-- inputs with the result window taken as closed. Once an order's window has closed its decision no
-- longer depends on today, so readers (incentiveDecisions, the overview tile) take closed orders from
-- here and decide open ones live. A cache of that function's output: built and refreshed with
-- order_windows by src/lib/server/preagg/incentive-decisions.ts, valid while preagg_state
-- 'incentive_rule' equals INCENTIVE_STORE_VERSION (the rule's INCENTIVE_RULE_VERSION, src/lib/incentive.ts, and
-- these tables' own). Dates are 'YYYY-MM-DD' text.
CREATE TABLE IF NOT EXISTS incentive_decisions (
  order_id VARCHAR NOT NULL,
  seller_id VARCHAR NOT NULL,
  close_day VARCHAR,
  qualifies BOOLEAN NOT NULL,
  reason VARCHAR NOT NULL,
  live_day VARCHAR,
  baseline_from VARCHAR,
  baseline_to VARCHAR,
  result_from VARCHAR,
  result_to VARCHAR,
  close_month VARCHAR,
  b_impressions BIGINT NOT NULL,
  b_clicks BIGINT NOT NULL,
  b_ctr DOUBLE,
  r_impressions BIGINT NOT NULL,
  r_clicks BIGINT NOT NULL,
  r_ctr DOUBLE,
  lift DOUBLE,
  lower95 DOUBLE,
  se DOUBLE,
  df DOUBLE,
  tier_rate INTEGER NOT NULL,
  image_fee_fen BIGINT NOT NULL,
  amount_fen BIGINT NOT NULL,
  explanation VARCHAR NOT NULL
);
-- incentive_decisions' amounts summed per close day (the overview tile without a seller scope).
CREATE TABLE IF NOT EXISTS incentive_day_totals (
  close_day VARCHAR NOT NULL,
  amount_fen BIGINT NOT NULL
);

-- Service amounts under the billing month rules (billing/events.sql, fees from order_facts), kept
-- for every month: per order and month (refreshed for the orders a load touched) and per month and
-- seller (the months/sellers those orders had or have). serviceAmounts (billing/amounts.ts) reads
-- service_months instead of re-deriving 12 months of events; incentives still come from bill_lines.
-- Built by src/lib/server/preagg/service-amounts.ts; valid while preagg_state 'service_amounts'
-- holds the hash of the SQL and constants that made them.
CREATE TABLE IF NOT EXISTS service_order_months (
  order_id VARCHAR NOT NULL,
  month VARCHAR NOT NULL,
  seller_id VARCHAR NOT NULL,
  image_fees BIGINT NOT NULL,
  language_fees BIGINT NOT NULL,
  refunds BIGINT NOT NULL,
  credits BIGINT NOT NULL,
  compensation BIGINT NOT NULL,
  order_count BIGINT NOT NULL,
  image_count BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS service_months (
  month VARCHAR NOT NULL,
  seller_id VARCHAR NOT NULL,
  image_fees BIGINT NOT NULL,
  language_fees BIGINT NOT NULL,
  refunds BIGINT NOT NULL,
  credits BIGINT NOT NULL,
  compensation BIGINT NOT NULL,
  order_count BIGINT NOT NULL,
  image_count BIGINT NOT NULL
);
-- service_months summed over sellers: the platform's month totals (dashboards without a seller scope).
CREATE TABLE IF NOT EXISTS service_month_totals (
  month VARCHAR NOT NULL,
  image_fees BIGINT NOT NULL,
  language_fees BIGINT NOT NULL,
  refunds BIGINT NOT NULL,
  credits BIGINT NOT NULL,
  compensation BIGINT NOT NULL,
  order_count BIGINT NOT NULL,
  image_count BIGINT NOT NULL
);
