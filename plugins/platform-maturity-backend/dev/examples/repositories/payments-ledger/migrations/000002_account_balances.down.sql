DROP MATERIALIZED VIEW account_balances;
