-- The rule amounts of the run's range [first month checked for adjustments, month billed].
CREATE OR REPLACE TEMP TABLE _ev AS SELECT * FROM {{events}} ev;
