-- Input tables of the data contract. Money in integer fen (BIGINT), instants as TIMESTAMPTZ,
-- days as DATE (Asia/Shanghai). No PRIMARY KEY constraints: DuckDB's ART indexes cost memory and
-- ingest throughput at 120M rows; ingest enforces key uniqueness itself (newer wins).
-- _load_id names the load that last wrote the row.

CREATE TABLE IF NOT EXISTS sellers (
  seller_id VARCHAR NOT NULL,
  name VARCHAR NOT NULL,
  uscc VARCHAR NOT NULL,
  entity_type VARCHAR NOT NULL,
  enterprise_certified BOOLEAN NOT NULL,
  store_level INTEGER NOT NULL,
  region VARCHAR NOT NULL,
  service_opened_at TIMESTAMPTZ NOT NULL,
  serious_violation_90d BOOLEAN NOT NULL,
  license_from DATE,
  license_provider_id VARCHAR,
  invoice_title VARCHAR NOT NULL,
  invoice_address VARCHAR,
  invoice_phone VARCHAR,
  invoice_bank VARCHAR,
  invoice_account VARCHAR,
  _load_id BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS providers (
  provider_id VARCHAR NOT NULL,
  name VARCHAR NOT NULL,
  certified_at DATE NOT NULL,
  _load_id BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS orders (
  order_id VARCHAR NOT NULL,
  seller_id VARCHAR NOT NULL,
  provider_id VARCHAR NOT NULL,
  sku_id VARCHAR NOT NULL,
  category VARCHAR NOT NULL,
  image_type VARCHAR NOT NULL,
  image_count INTEGER NOT NULL,
  rush BOOLEAN NOT NULL,
  languages VARCHAR[] NOT NULL,          -- '' in the file → []
  store_license BOOLEAN NOT NULL,
  delivery_days INTEGER NOT NULL,
  reference_images INTEGER NOT NULL,
  has_3d_model BOOLEAN NOT NULL,
  spec_form_filled BOOLEAN NOT NULL,
  published_at TIMESTAMPTZ NOT NULL,
  matched_at TIMESTAMPTZ,
  first_draft_at TIMESTAMPTZ,
  delivered_at TIMESTAMPTZ,
  accepted_at TIMESTAMPTZ,
  live_at TIMESTAMPTZ,
  cancelled_at TIMESTAMPTZ,
  _load_id BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS revisions (
  order_id VARCHAR NOT NULL,
  requested_at TIMESTAMPTZ NOT NULL,
  reason_code VARCHAR NOT NULL,
  redelivered_at TIMESTAMPTZ,
  _load_id BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS disputes (
  dispute_id VARCHAR NOT NULL,
  order_id VARCHAR NOT NULL,
  opened_at TIMESTAMPTZ NOT NULL,
  reason_code VARCHAR NOT NULL,
  first_response_at TIMESTAMPTZ,
  resolved_at TIMESTAMPTZ,
  ruling VARCHAR,
  _load_id BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS delistings (
  delisting_id VARCHAR NOT NULL,
  order_id VARCHAR NOT NULL,
  delisted_at TIMESTAMPTZ NOT NULL,
  claimed_loss BIGINT NOT NULL,          -- fen
  accountability_started_at TIMESTAMPTZ,
  compensated_at TIMESTAMPTZ,
  _load_id BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS ctr_daily (
  sku_id VARCHAR NOT NULL,
  date DATE NOT NULL,
  impressions INTEGER NOT NULL,
  clicks INTEGER NOT NULL,
  add_to_cart INTEGER NOT NULL,
  _load_id BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS payments (
  payment_id VARCHAR NOT NULL,
  seller_id VARCHAR NOT NULL,
  month VARCHAR NOT NULL,                -- YYYY-MM
  paid_at TIMESTAMPTZ NOT NULL,
  amount BIGINT NOT NULL,                -- fen
  method VARCHAR NOT NULL,
  _load_id BIGINT NOT NULL
);

-- One row per load of a data folder (CLI, upload form or npm start).
CREATE SEQUENCE IF NOT EXISTS load_id_seq START 1;
CREATE TABLE IF NOT EXISTS loads (
  load_id BIGINT NOT NULL,
  started_at TIMESTAMPTZ NOT NULL,
  finished_at TIMESTAMPTZ,
  source VARCHAR NOT NULL,
  actor VARCHAR NOT NULL,
  status VARCHAR NOT NULL,               -- ok | partial | failed
  report JSON,
  report_path VARCHAR,
  rejects_path VARCHAR
);

-- Who did what: loads, bill runs, account changes.
CREATE SEQUENCE IF NOT EXISTS audit_id_seq START 1;
CREATE TABLE IF NOT EXISTS audit_log (
  audit_id BIGINT NOT NULL DEFAULT nextval('audit_id_seq'),
  occurred_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  actor VARCHAR NOT NULL,
  action VARCHAR NOT NULL,
  detail JSON
);

-- China's working-day calendar (filled from src/lib/calendar data at start-up): one row per day.
CREATE TABLE IF NOT EXISTS calendar_days (
  day DATE NOT NULL,
  is_workday BOOLEAN NOT NULL,
  workday_seq INTEGER NOT NULL,          -- count of workdays up to and including day
  holiday_name VARCHAR
);

-- Key/value settings (first billing month, created_at, …).
CREATE TABLE IF NOT EXISTS settings (
  key VARCHAR NOT NULL,
  value VARCHAR NOT NULL
);

-- Unit price of every price-list combination, computed by src/lib/pricing.ts (the one place that
-- rounds) and refreshed from config/price-list.json at every start-up.
CREATE TABLE IF NOT EXISTS unit_prices (
  version VARCHAR NOT NULL,
  effective_from DATE NOT NULL,
  category VARCHAR NOT NULL,
  image_type VARCHAR NOT NULL,
  rush BOOLEAN NOT NULL,
  store_license BOOLEAN NOT NULL,
  unit_price BIGINT NOT NULL,            -- fen, rounded once
  language_unit BIGINT NOT NULL          -- fen per language per image
);

-- What each order is charged (fen): the price-list version in force on its Shanghai publishing day.
-- SQL only multiplies integers here; every rounding happened in unit_prices.
CREATE OR REPLACE VIEW order_charges AS
SELECT
  o.order_id,
  o.seller_id,
  up.version AS price_version,
  up.unit_price,
  o.image_count,
  up.unit_price * o.image_count AS image_fee,
  up.language_unit,
  len(o.languages) AS language_count,
  up.language_unit * len(o.languages) * o.image_count AS language_fee,
  up.unit_price * o.image_count + up.language_unit * len(o.languages) * o.image_count AS total
FROM orders o
ASOF JOIN unit_prices up
  ON o.category = up.category
 AND o.image_type = up.image_type
 AND o.rush = up.rush
 AND o.store_license = up.store_license
 AND o.published_at::DATE >= up.effective_from;
