-- GB 32100-2015 check character, in bulk: 18 characters of 0123456789ABCDEFGHJKLMNPQRTUWXY,
-- check = alphabet[(31 − Σ value(i)·3^(i−1) mod 31) mod 31] over positions 1–17.
-- Same rule as src/lib/uscc.ts (tested equal).
SELECT seller_id, name, uscc,
  regexp_full_match(uscc, '[0-9A-HJ-NPQRTUWXY]{18}') AS well_formed,
  CASE WHEN regexp_full_match(uscc, '[0-9A-HJ-NPQRTUWXY]{18}') THEN
    substr('0123456789ABCDEFGHJKLMNPQRTUWXY',
      ((31 - list_sum(list_transform(range(1, 18), i ->
          (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(uscc, i::INTEGER, 1)) - 1) * ((3::BIGINT ** (i - 1))::BIGINT % 31))) % 31) % 31)::INTEGER + 1, 1)
  END AS expected_check,
  coalesce(regexp_full_match(uscc, '[0-9A-HJ-NPQRTUWXY]{18}')
    AND substr(uscc, 18, 1) = substr('0123456789ABCDEFGHJKLMNPQRTUWXY',
      ((31 - list_sum(list_transform(range(1, 18), i ->
          (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(uscc, i::INTEGER, 1)) - 1) * ((3::BIGINT ** (i - 1))::BIGINT % 31))) % 31) % 31)::INTEGER + 1, 1), false) AS valid
FROM sellers
