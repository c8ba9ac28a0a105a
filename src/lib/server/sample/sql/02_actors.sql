-- Providers and sellers.
CREATE OR REPLACE TEMP TABLE g_providers AS
SELECT
  i,
  'P' || lpad(i::VARCHAR, 5, '0') AS provider_id,
  pick(['光影', '匠心', '瑞图', '优像', '星河', '慕尚', '青禾', '云帆', '拾光', '映画', '木棉', '初见', '远山', '锦瑟', '明镜', '若水'], u('pn1', i))
    || pick(['视觉', '影像', '摄影', '设计', '创意', '影视'], u('pn2', i))
    || pick(['工作室', '文化传媒有限公司', '科技有限公司', '设计有限公司'], u('pn3', i))
    || CASE WHEN i > 16 THEN '(' || pick(['深圳', '广州', '杭州', '义乌', '上海', '厦门'], u('pn4', i)) || i::VARCHAR || ')' ELSE '' END AS name,
  (getvariable('hist_start') - INTERVAL 1 DAY * (20 + floor(u('pc', i) * 500)::INT))::DATE AS certified_at,
  -- popularity: a few studios take much of the work
  exp(0.8 * nrm('pw', i)) AS w,
  -- how much CTR lift this studio's images bring, relative to the category norm
  exp(0.18 * nrm('pq', i)) AS quality
FROM range(1, getvariable('n_providers') + 1) t(i);

CREATE OR REPLACE TEMP TABLE g_provider_cdf AS
SELECT provider_id, i, (sum(wi) OVER (ORDER BY i) - wi) / sum(wi) OVER () AS lo
FROM (SELECT provider_id, i, round(w * 1e6)::BIGINT AS wi FROM g_providers);

CREATE OR REPLACE TEMP TABLE g_sellers_raw AS
SELECT
  i,
  'S' || lpad(i::VARCHAR, 7, '0') AS seller_id,
  CASE WHEN u('rg', i) < 0.38 THEN 'shenzhen' WHEN u('rg', i) < 0.54 THEN 'yiwu'
       WHEN u('rg', i) < 0.684 THEN 'guangzhou' ELSE 'other' END AS region,
  u('ind', i) < 0.006 AS individual,
  u('cert', i) >= 0.005 AS enterprise_certified,
  CASE WHEN u('lvl', i) < 0.004 THEN 1 WHEN u('lvl', i) < 0.012 THEN 2 WHEN u('lvl', i) < 0.36 THEN 3
       WHEN u('lvl', i) < 0.74 THEN 4 ELSE 5 END AS store_level,
  u('vio', i) < 0.004 AS serious_violation_90d,
  -- 20% were on the service before the history starts; the rest join evenly over the 18 months
  CASE WHEN u('old', i) < 0.2
       THEN plus_h(getvariable('hist_start')::TIMESTAMP, -24 * (1 + floor(u('od', i) * 365)) + 9 + 9 * u('oh', i))
       ELSE plus_h(getvariable('hist_start')::TIMESTAMP,
                   24 * floor(u('od', i) * ((getvariable('as_of') - getvariable('hist_start')) - 2)) + 9 + 9 * u('oh', i))
  END AS service_opened_at,
  -- 6% opened the service and never ordered; the others order with a skewed intensity
  CASE WHEN u('never', i) < 0.06 THEN 0 ELSE exp(1.0 * nrm('act', i)) END AS w,
  pick(['apparel', 'apparel', 'apparel', 'home', 'home', 'electronics', 'electronics', 'shoes_bags', 'shoes_bags',
        'toys', 'beauty', 'beauty', 'jewelry'], u('mc', i)) AS main_category,
  u('pay', i) < 0.6 AS pays_by_bank
FROM range(1, getvariable('n_sellers') + 1) t(i);

CREATE OR REPLACE TEMP TABLE g_sellers AS
WITH named AS (
  SELECT s.*,
    CASE region WHEN 'shenzhen' THEN '深圳市' WHEN 'yiwu' THEN '义乌市' WHEN 'guangzhou' THEN '广州市'
      ELSE pick(['杭州市', '宁波市', '东莞市', '厦门市', '泉州市', '上海', '苏州市', '温州市'], u('oc', i)) END AS city,
    CASE region WHEN 'shenzhen' THEN '440300' WHEN 'yiwu' THEN '330782' WHEN 'guangzhou' THEN '440100'
      ELSE pick(['330100', '330200', '441900', '350200', '350500', '310000', '320500', '330300'], u('oc', i)) END AS area_code,
    pick(['华', '鑫', '盛', '达', '瑞', '泰', '恒', '嘉', '宏', '博', '佳', '星', '创', '丰', '美', '优', '天', '海', '德', '新',
          '宇', '锦', '辰', '富', '源', '联', '汇', '通', '凯', '欣'], u('n1', i))
      || pick(['兴', '隆', '航', '远', '业', '诚', '信', '达', '鸿', '昌', '晟', '安', '乐', '尚', '禾', '越', '途', '赢', '迈', '启',
          '立', '品', '智', '迅', '捷', '朗', '晨', '耀', '丰', '彩'], u('n2', i))
      || CASE WHEN u('n3', i) < 0.5 THEN pick(['源', '祥', '鑫', '达', '顺', '益', '和', '腾'], u('n4', i)) ELSE '' END AS brand,
    pick(['科技', '贸易', '电子商务', '实业', '进出口', '服饰', '家居用品', '电子'], u('ind2', i)) AS trade
  FROM g_sellers_raw s
), coded AS (
  SELECT n.*,
    -- GB 32100-2015: 9 = registered by market regulation, 1 = enterprise, 2 = individual business
    '9' || CASE WHEN individual THEN '2' ELSE '1' END || area_code
      || list_aggregate(list_transform(range(9), k -> substr('0123456789ABCDEFGHJKLMNPQRTUWXY',
           1 + floor(u2('uc', i, k) * (CASE WHEN k < 8 THEN 10 ELSE 31 END))::INT, 1)), 'string_agg', '') AS uscc17
  FROM named n
), checked AS (
  SELECT c.*,
    ((31 - list_sum(list_transform(range(17), k ->
        (instr('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(uscc17, k + 1, 1)) - 1)
        * [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28][k + 1])) % 31) % 31)::INTEGER AS check_idx
  FROM coded c
)
SELECT
  seller_id, i, region, store_level, enterprise_certified, serious_violation_90d, service_opened_at, w, main_category, pays_by_bank,
  CASE WHEN individual THEN 'individual' ELSE 'enterprise' END AS entity_type,
  CASE WHEN individual THEN city || brand || trade || '经营部' ELSE city || brand || trade || '有限公司' END AS name,
  -- about 0.5% carry a wrong check character (a typo the VAT export must catch)
  uscc17 || substr('0123456789ABCDEFGHJKLMNPQRTUWXY',
     1 + CASE WHEN u('badcc', i) < 0.005 THEN (check_idx + 1 + floor(u('badk', i) * 29)::INT) % 31 ELSE check_idx END, 1) AS uscc,
  u('lic', i) < 0.15 AND w > 0 AS licensed,
  city, area_code
FROM checked;

-- Whole-store licences (bound to one provider) and invoice details.
CREATE OR REPLACE TEMP TABLE g_sellers2 AS
SELECT s.*,
  CASE WHEN licensed THEN greatest(service_opened_at::DATE, getvariable('hist_start') - INTERVAL 200 DAY)
       + INTERVAL 1 DAY * floor(u('lf', i) * greatest(1, getvariable('as_of') - 40
           - greatest(service_opened_at::DATE, getvariable('hist_start') - INTERVAL 200 DAY)::DATE))::INT END::DATE AS license_from,
  CASE WHEN licensed THEN p.provider_id END AS license_provider_id,
  name AS invoice_title,
  CASE WHEN u('noaddr', i) < 0.02 THEN NULL ELSE
    city || CASE region
      WHEN 'shenzhen' THEN pick(['福田区', '南山区', '龙华区', '宝安区', '龙岗区', '罗湖区'], u('ad1', i))
      WHEN 'yiwu' THEN pick(['稠城街道', '北苑街道', '江东街道', '福田街道', '稠江街道'], u('ad1', i))
      WHEN 'guangzhou' THEN pick(['天河区', '白云区', '番禺区', '海珠区', '越秀区', '荔湾区'], u('ad1', i))
      ELSE pick(['经济开发区', '高新区', '城东新区', '工业园区'], u('ad1', i)) END
    || pick(['深南大道', '科技园路', '商城大道', '中山路', '人民路', '解放路', '建设路', '工业大道', '创业路', '环城北路'], u('ad2', i))
    || (1 + floor(u('ad3', i) * 998))::INT::VARCHAR || '号' END AS invoice_address,
  CASE WHEN u('nophone', i) < 0.02 THEN NULL ELSE
    CASE region WHEN 'shenzhen' THEN '0755-' WHEN 'yiwu' THEN '0579-' WHEN 'guangzhou' THEN '020-' ELSE '0571-' END
    || (20000000 + floor(u('ph', i) * 69999999))::BIGINT::VARCHAR END AS invoice_phone,
  CASE WHEN u('nobank', i) < 0.02 THEN NULL ELSE
    pick(['中国工商银行', '中国建设银行', '中国银行', '中国农业银行', '招商银行', '交通银行', '中国民生银行'], u('bk', i))
    || replace(replace(city, '市', ''), '上海', '上海') || '分行' END AS invoice_bank,
  CASE WHEN u('nobank', i) < 0.02 THEN NULL ELSE
    '6222' || lpad(floor(u('acc1', i) * 1e9)::BIGINT::VARCHAR, 9, '0') || lpad(floor(u('acc2', i) * 1e6)::BIGINT::VARCHAR, 6, '0') END AS invoice_account
FROM g_sellers s
LEFT JOIN (SELECT provider_id, i AS pi FROM g_provider_cdf) p ON s.licensed AND p.pi = 1 + floor(u('lp', s.i) * getvariable('n_providers'))::INT;
