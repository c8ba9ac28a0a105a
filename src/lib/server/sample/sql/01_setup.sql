-- Deterministic randomness and the working-day calendar for the sample generator.
-- Variables set by index.ts: seed, scale, as_of (DATE), hist_start (DATE), n_sellers, n_providers.
-- Every draw is a hash of (seed, tag, row keys): reproducible whatever the thread count, unlike random().
-- All generated instants are naive Asia/Shanghai TIMESTAMPs (China has no DST, so hour arithmetic is exact).

-- uniform in (0, 1) from the top 53 bits of the hash. DuckDB combines the hashes of several arguments
-- almost linearly (multiply, xor): u('a', k) and u('b', k) would be correlated, so the combined hash
-- is hashed once more (murmur's finaliser mixes every bit).
CREATE OR REPLACE TEMP MACRO u(tag, k) AS (((hash(hash(getvariable('seed'), tag, k)) >> 11)::DOUBLE + 0.5) / 9007199254740992.0);
CREATE OR REPLACE TEMP MACRO u2(tag, k, j) AS (((hash(hash(getvariable('seed'), tag, k, j)) >> 11)::DOUBLE + 0.5) / 9007199254740992.0);
-- standard normal (Box–Muller)
CREATE OR REPLACE TEMP MACRO nrm(tag, k) AS (sqrt(-2 * ln(u(tag || ':a', k))) * cos(2 * pi() * u(tag || ':b', k)));
CREATE OR REPLACE TEMP MACRO nrm2(tag, k, j) AS (sqrt(-2 * ln(u2(tag || ':a', k, j))) * cos(2 * pi() * u2(tag || ':b', k, j)));
-- pick from a list with a uniform
CREATE OR REPLACE TEMP MACRO pick(lst, x) AS (lst[1 + least(floor(x * len(lst))::BIGINT, len(lst) - 1)]);
-- instant `h` hours after `t`, to the second
CREATE OR REPLACE TEMP MACRO plus_h(t, h) AS (t + INTERVAL 1 SECOND * CAST(round(h * 3600) AS BIGINT));
CREATE OR REPLACE TEMP MACRO hours_between(a, b) AS ((epoch(b) - epoch(a)) / 3600.0);
-- 21-bit uniforms sliced from one 64-bit hash (the CTR table draws many per row; one hash gives three)
CREATE OR REPLACE TEMP MACRO slice(h, i) AS ((((h >> (21 * i)) & 2097151)::DOUBLE + 0.5) / 2097152.0);
CREATE OR REPLACE TEMP MACRO bm(a, b) AS (sqrt(-2 * ln(a)) * cos(2 * pi() * b));

-- Working days: the official calendar, extended with plain weekdays past its last year
-- (the dashboard flags such deadlines; the sample only needs a plausible delivery time).
CREATE OR REPLACE TEMP TABLE gen_cal AS
WITH ext AS (
  SELECT d::DATE AS day, isodow(d) <= 5 AS is_workday
  FROM range((SELECT max(day) FROM calendar_days) + INTERVAL 1 DAY,
             getvariable('as_of') + INTERVAL 90 DAY, INTERVAL 1 DAY) t(d)
), alld AS (
  SELECT day, is_workday FROM calendar_days UNION ALL SELECT * FROM ext
)
SELECT day, is_workday, sum(is_workday::INT) OVER (ORDER BY day) AS seq FROM alld
WHERE day >= getvariable('hist_start') - INTERVAL 30 DAY;
