package com.acme.billing;

import java.util.List;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class InvoiceController {
    private final InvoiceRepository invoices;

    @Autowired
    public InvoiceController(InvoiceRepository invoices) {
        this.invoices = invoices;
    }

    @GetMapping("/customers/{customerId}/invoices")
    public List<Invoice> list(@PathVariable String customerId) {
        return invoices.findByCustomer(customerId);
    }

    @GetMapping("/health")
    public String health() {
        return "OK";
    }
}
