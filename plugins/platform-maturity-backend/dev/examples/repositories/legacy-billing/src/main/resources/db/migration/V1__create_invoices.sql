CREATE TABLE invoices (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  customer_id VARCHAR(64) NOT NULL,
  period_start DATE NOT NULL,
  total_amount DECIMAL(12, 2) NOT NULL,
  currency CHAR(3) NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE INDEX invoices_customer ON invoices (customer_id, period_start);
