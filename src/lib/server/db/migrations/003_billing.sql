-- The billing ledger (src/lib/server/billing/README.md). What was issued never changes: a month is
-- issued once (bill_runs), every seller's bill once per month (bills), and every billed amount is
-- kept per order and amount type (bill_lines) so that late rows become adjustments.

CREATE TABLE IF NOT EXISTS bill_runs (
  month VARCHAR NOT NULL PRIMARY KEY,     -- YYYY-MM
  issued_at TIMESTAMPTZ NOT NULL,
  actor VARCHAR NOT NULL,
  data_watermark BIGINT NOT NULL,         -- newest load id seen: no newer load ⇒ no adjustments to look for
  run_json VARCHAR NOT NULL,              -- run.json without the file hashes (those follow in files)
  files JSON,                             -- {"bills-summary.csv": "sha256", …} once the files are in place
  published_at TIMESTAMPTZ
);

CREATE TABLE IF NOT EXISTS bills (
  month VARCHAR NOT NULL,
  seller_id VARCHAR NOT NULL,
  seller_name VARCHAR NOT NULL,
  uscc VARCHAR NOT NULL,
  uscc_valid BOOLEAN NOT NULL,
  order_count BIGINT NOT NULL,
  image_count BIGINT NOT NULL,
  image_fees BIGINT NOT NULL,
  language_fees BIGINT NOT NULL,
  incentives BIGINT NOT NULL,
  refunds BIGINT NOT NULL,
  net_service_amount BIGINT NOT NULL,
  amount_excl_tax BIGINT NOT NULL,
  vat BIGINT NOT NULL,
  credits BIGINT NOT NULL,
  compensation BIGINT NOT NULL,
  carried_balance BIGINT NOT NULL,
  total BIGINT NOT NULL,                  -- may be negative: carried whole into the next month
  amount_due BIGINT NOT NULL,
  due_date DATE NOT NULL,
  PRIMARY KEY (seller_id, month)
);

CREATE TABLE IF NOT EXISTS bill_lines (
  month VARCHAR NOT NULL,                 -- the bill it is on
  seller_id VARCHAR NOT NULL,
  line_no INTEGER NOT NULL,
  line_type VARCHAR NOT NULL,             -- image_fee … adjustment, carried_balance
  amount_type VARCHAR NOT NULL,           -- the column it counts in (= line_type except for adjustments)
  order_id VARCHAR,
  sku_id VARCHAR,
  category VARCHAR,
  description VARCHAR NOT NULL,
  quantity BIGINT NOT NULL,
  unit_price BIGINT NOT NULL,
  amount BIGINT NOT NULL,
  month_of_origin VARCHAR NOT NULL,       -- the month the rules put the amount in
  charge_month VARCHAR                    -- refunds and adjustments: month whose invoice they correct
);

CREATE TABLE IF NOT EXISTS vat_invoices (
  serial VARCHAR NOT NULL PRIMARY KEY,    -- 发票流水号 ≤ 20 chars: VS/VR + YYYYMM + 8-digit sequence + 2-digit split
  month VARCHAR NOT NULL,
  seller_id VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,                  -- blue | red
  original_serial VARCHAR,                -- red: the blue invoice it reverses (null when none was issued)
  original_month VARCHAR,
  buyer_name VARCHAR NOT NULL,
  buyer_tax_id VARCHAR NOT NULL,
  buyer_address VARCHAR,
  buyer_phone VARCHAR,
  buyer_bank VARCHAR,
  buyer_account VARCHAR,
  tax_code VARCHAR NOT NULL,
  item_name VARCHAR NOT NULL,
  tax_rate VARCHAR NOT NULL,
  total BIGINT NOT NULL,                  -- tax included; negative for red
  amount_excl_tax BIGINT NOT NULL,
  tax BIGINT NOT NULL,
  original_invoice_number VARCHAR,        -- red: the original's 发票号码 when imported before this month was issued
  invoice_number VARCHAR                  -- 发票号码 from the tax system, once finance imports it
);

-- Incentive decisions of a run, appended from incentiveDecisions() inside the run's transaction
-- and emptied at its start (runs are serialised; see billing/lock.ts).
CREATE TABLE IF NOT EXISTS bill_incentive_stage (
  close_month VARCHAR NOT NULL,
  order_id VARCHAR NOT NULL,
  seller_id VARCHAR NOT NULL,
  sku_id VARCHAR NOT NULL,
  category VARCHAR NOT NULL,
  tier_rate INTEGER NOT NULL,
  amount BIGINT NOT NULL
);
