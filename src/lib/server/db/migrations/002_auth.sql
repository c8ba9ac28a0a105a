-- Access: people (sign-in sessions) and ERP systems (OAuth 2.0 client credentials).
-- Secrets are never stored: passwords as argon2id hashes, session cookies, client secrets and
-- access tokens as SHA-256 hex digests (they are 256-bit random values, so a fast hash is enough
-- and keeps the token endpoint from being a CPU sink).

CREATE TABLE IF NOT EXISTS users (
  user_id VARCHAR PRIMARY KEY,
  email VARCHAR NOT NULL UNIQUE,         -- lower-cased
  role VARCHAR NOT NULL CHECK (role IN ('ops', 'finance', 'seller')),
  seller_id VARCHAR,                     -- set for (and only for) role seller
  password_hash VARCHAR NOT NULL,        -- argon2id PHC string
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  disabled_at TIMESTAMPTZ,
  CHECK ((role = 'seller') = (seller_id IS NOT NULL))
);

CREATE TABLE IF NOT EXISTS sessions (
  session_hash VARCHAR PRIMARY KEY,      -- sha256 of the cookie value
  user_id VARCHAR NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS api_clients (
  client_id VARCHAR PRIMARY KEY,
  seller_id VARCHAR NOT NULL,
  secret_hash VARCHAR NOT NULL,          -- sha256 of the secret
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  created_by VARCHAR NOT NULL,
  revoked_at TIMESTAMPTZ
);

CREATE TABLE IF NOT EXISTS api_tokens (
  token_hash VARCHAR PRIMARY KEY,        -- sha256 of the bearer token
  client_id VARCHAR NOT NULL,
  issued_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL
);
