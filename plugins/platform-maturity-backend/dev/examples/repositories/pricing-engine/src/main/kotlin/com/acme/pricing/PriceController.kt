package com.acme.pricing

import io.opentelemetry.instrumentation.annotations.WithSpan
import java.time.Instant
import org.springframework.http.HttpStatus
import org.springframework.web.bind.annotation.GetMapping
import org.springframework.web.bind.annotation.RequestParam
import org.springframework.web.bind.annotation.RestController
import org.springframework.web.server.ResponseStatusException

data class Price(val productId: String, val amountMinor: Long, val currency: String)

@RestController
class PriceController(private val priceLists: PriceLists) {
    @GetMapping("/prices")
    @WithSpan
    fun prices(@RequestParam productId: List<String>): List<Price> {
        if (productId.size > 100) {
            throw ResponseStatusException(HttpStatus.BAD_REQUEST, "at most 100 productId values per request")
        }
        val calculator = PriceCalculator(priceLists.promotions())
        val now = Instant.now()
        return productId.mapNotNull { id ->
            priceLists.listPrice(id)?.let { list ->
                Price(id, calculator.price(id, list.amountMinor, 0, now), list.currency)
            }
        }
    }
}
