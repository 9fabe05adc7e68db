-- Current schema of checkout-db, as applied by the DBA change board (CHG-2291, 2026-02-17).
CREATE TABLE baskets (
  id UUID PRIMARY KEY,
  customer_id TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE basket_lines (
  basket_id UUID NOT NULL REFERENCES baskets (id) ON DELETE CASCADE,
  product_id TEXT NOT NULL,
  quantity INTEGER NOT NULL CHECK (quantity BETWEEN 1 AND 20),
  unit_price_minor INTEGER NOT NULL,
  PRIMARY KEY (basket_id, product_id)
);

CREATE TABLE orders (
  id UUID PRIMARY KEY,
  basket_id UUID NOT NULL REFERENCES baskets (id),
  total_minor INTEGER NOT NULL,
  placed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
