package com.acme.billing;

import java.sql.Date;
import java.util.List;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

@Repository
public class InvoiceRepository {
    private final JdbcTemplate jdbc;

    @Autowired
    public InvoiceRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public List<Invoice> findByCustomer(String customerId) {
        return jdbc.query(
            "SELECT id, customer_id, period_start, total_amount, currency FROM invoices WHERE customer_id = ? ORDER BY period_start DESC",
            (rs, row) -> new Invoice(
                rs.getLong("id"),
                rs.getString("customer_id"),
                rs.getDate("period_start").toLocalDate(),
                rs.getBigDecimal("total_amount"),
                rs.getString("currency")),
            customerId);
    }

    public void markExported(long invoiceId) {
        jdbc.update("UPDATE invoices SET exported_at = ? WHERE id = ?",
            new Date(System.currentTimeMillis()), invoiceId);
    }
}
