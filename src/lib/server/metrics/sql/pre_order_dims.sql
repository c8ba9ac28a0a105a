-- order_dims.sql from the order_facts pre-aggregate (same columns, plus the f_* facts that the
-- pre_* templates read). Used only while the pre-aggregates are current (preagg/state.sql).
SELECT * FROM order_facts
