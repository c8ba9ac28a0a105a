-- One bill per seller with any line. net_service_amount is split into amount excl. tax and VAT
-- half up: amount = sign(n) × floor((2|n|·den + (den+num)) / (2(den+num))) for rate num/den.
CREATE OR REPLACE TEMP TABLE _bills AS
WITH agg AS (
  SELECT seller_id,
         count(*) FILTER (WHERE line_type = 'image_fee') AS order_count,
         sum(images) FILTER (WHERE line_type = 'image_fee') AS image_count,
         sum(amount) FILTER (WHERE amount_type = 'image_fee') AS image_fees,
         sum(amount) FILTER (WHERE amount_type = 'language_fee') AS language_fees,
         sum(amount) FILTER (WHERE amount_type = 'incentive') AS incentives,
         sum(amount) FILTER (WHERE amount_type = 'refund') AS refunds,
         sum(amount) FILTER (WHERE amount_type = 'credit') AS credits,
         sum(amount) FILTER (WHERE amount_type = 'compensation') AS compensation,
         sum(amount) FILTER (WHERE amount_type = 'carried_balance') AS carried_balance
  FROM _lines GROUP BY seller_id
), z AS (
  SELECT seller_id, coalesce(order_count, 0) AS order_count, coalesce(image_count, 0) AS image_count,
         coalesce(image_fees, 0) AS image_fees, coalesce(language_fees, 0) AS language_fees,
         coalesce(incentives, 0) AS incentives, coalesce(refunds, 0) AS refunds,
         coalesce(credits, 0) AS credits, coalesce(compensation, 0) AS compensation,
         coalesce(carried_balance, 0) AS carried_balance
  FROM agg
), n AS (
  SELECT *, image_fees + language_fees + incentives + refunds AS net FROM z
), s AS (
  SELECT seller_id, name, uscc FROM sellers
), w AS (
  SELECT n.*, coalesce(s.name, '') AS seller_name, coalesce(s.uscc, '') AS uscc,
         sign(net) * ((abs(net) * 2 * $rate_den + ($rate_den + $rate_num)) // (2 * ($rate_den + $rate_num))) AS excl
  FROM n LEFT JOIN s USING (seller_id)
)
SELECT $month AS month, seller_id, seller_name, uscc,
       (regexp_full_match(uscc, '[0-9A-HJ-NPQRTUWXY]{18}') AND
        substr('0123456789ABCDEFGHJKLMNPQRTUWXY',
               ((31 - list_sum([(strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(uscc, i::INTEGER, 1)) - 1) * (pow(3, i - 1)::BIGINT % 31)
                                for i in range(1, 18)]) % 31) % 31)::INTEGER + 1, 1) = substr(uscc, 18, 1)) IS TRUE AS uscc_valid,
       order_count::BIGINT AS order_count, image_count::BIGINT AS image_count,
       image_fees::BIGINT AS image_fees, language_fees::BIGINT AS language_fees, incentives::BIGINT AS incentives,
       refunds::BIGINT AS refunds, net::BIGINT AS net_service_amount, excl::BIGINT AS amount_excl_tax, (net - excl)::BIGINT AS vat,
       credits::BIGINT AS credits, compensation::BIGINT AS compensation, carried_balance::BIGINT AS carried_balance,
       (net + credits + compensation + carried_balance)::BIGINT AS total,
       greatest(net + credits + compensation + carried_balance, 0)::BIGINT AS amount_due,
       $due_date::DATE AS due_date
FROM w;
