CREATE TABLE entries (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  idempotency_key TEXT NOT NULL UNIQUE,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE postings (
  entry_id UUID NOT NULL REFERENCES entries (id),
  account TEXT NOT NULL,
  amount_minor BIGINT NOT NULL CHECK (amount_minor <> 0),
  currency CHAR(3) NOT NULL
);

CREATE INDEX postings_by_account ON postings (account, currency);
