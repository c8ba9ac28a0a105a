-- The reference data the facts were computed with (prices, working-day calendar), refreshed at start-up.
SELECT md5(
  coalesce((SELECT string_agg(concat_ws('|', version, effective_from, category, image_type, rush, store_license, unit_price, language_unit), ',' ORDER BY version, category, image_type, rush, store_license) FROM unit_prices), '')
  || '#' || coalesce((SELECT string_agg(concat_ws('|', day, is_workday, workday_seq), ',' ORDER BY day) FROM calendar_days), '')
) AS fp
