CREATE MATERIALIZED VIEW account_balances AS
  SELECT account, currency, sum(amount_minor) AS balance_minor
  FROM postings
  GROUP BY account, currency;

CREATE UNIQUE INDEX account_balances_key ON account_balances (account, currency);
