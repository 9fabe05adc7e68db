package com.acme.billing;

import java.math.BigDecimal;
import java.time.LocalDate;

public class Invoice {
    private final long id;
    private final String customerId;
    private final LocalDate periodStart;
    private final BigDecimal totalAmount;
    private final String currency;

    public Invoice(long id, String customerId, LocalDate periodStart, BigDecimal totalAmount, String currency) {
        this.id = id;
        this.customerId = customerId;
        this.periodStart = periodStart;
        this.totalAmount = totalAmount;
        this.currency = currency;
    }

    public long getId() { return id; }
    public String getCustomerId() { return customerId; }
    public LocalDate getPeriodStart() { return periodStart; }
    public BigDecimal getTotalAmount() { return totalAmount; }
    public String getCurrency() { return currency; }
}
