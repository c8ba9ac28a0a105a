-- Pre-aggregates of the metrics layer (src/lib/server/preagg, README there). Derived data only:
-- rebuilt from the raw tables at will, updated incrementally by every load (an afterLoadHook in
-- the load's transaction). Nothing that depends on "today" is stored here.

-- One row per order: the order's dimensions (what metrics/sql/order_dims.sql gave) plus facts
-- that are costly to derive per query (f_*): charges, on-time deadline, revisions, ruling.
CREATE TABLE IF NOT EXISTS order_facts (
  order_id VARCHAR NOT NULL,
  seller_id VARCHAR NOT NULL,
  provider_id VARCHAR NOT NULL,
  sku_id VARCHAR NOT NULL,
  category VARCHAR NOT NULL,
  image_type VARCHAR NOT NULL,
  image_count INTEGER NOT NULL,
  rush BOOLEAN NOT NULL,
  languages VARCHAR[] NOT NULL,
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
  _load_id BIGINT NOT NULL,
  form_filled BOOLEAN NOT NULL,
  first_order BOOLEAN NOT NULL,
  region VARCHAR,
  seller_name VARCHAR,
  provider_name VARCHAR,
  f_revisions BIGINT NOT NULL,
  f_ruling VARCHAR,
  f_refunded BOOLEAN NOT NULL,
  f_image_fee BIGINT,
  f_language_fee BIGINT,
  f_deadline TIMESTAMPTZ,
  f_beyond_calendar BOOLEAN,
  f_missing_year INTEGER,
  f_live_day DATE,
  f_close_day DATE
);

-- One row per live order: sums over the baseline (L−7 … L−1) and result (L … L+29) windows,
-- missing days = 0, plus the sums the day-level delta-method variance needs
-- (Σx², Σxn, Σn² with x = clicks or add-to-carts, n = impressions; see preagg/README.md).
CREATE TABLE IF NOT EXISTS order_windows (
  order_id VARCHAR NOT NULL,
  sku_id VARCHAR NOT NULL,
  live_day DATE NOT NULL,
  b_days_with_data INTEGER NOT NULL,
  r_days_with_data INTEGER NOT NULL,
  b_impr BIGINT NOT NULL, b_clicks BIGINT NOT NULL, b_atc BIGINT NOT NULL,
  r_impr BIGINT NOT NULL, r_clicks BIGINT NOT NULL, r_atc BIGINT NOT NULL,
  b_nn BIGINT NOT NULL, b_cc BIGINT NOT NULL, b_cn BIGINT NOT NULL, b_aa BIGINT NOT NULL, b_an BIGINT NOT NULL,
  r_nn BIGINT NOT NULL, r_cc BIGINT NOT NULL, r_cn BIGINT NOT NULL, r_aa BIGINT NOT NULL, r_an BIGINT NOT NULL
);

-- key/value: applied_load (last load folded in), fingerprint (reference data the facts used).
CREATE TABLE IF NOT EXISTS preagg_state (
  key VARCHAR NOT NULL PRIMARY KEY,
  value VARCHAR NOT NULL
);
