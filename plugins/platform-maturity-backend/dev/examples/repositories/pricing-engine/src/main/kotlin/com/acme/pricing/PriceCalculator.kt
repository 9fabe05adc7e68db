package com.acme.pricing

import java.time.Instant

data class Promotion(
    val productIds: Set<String>,
    val percentOff: Int,
    val startsAt: Instant,
    val endsAt: Instant,
) {
    init {
        require(percentOff in 1..90) { "percentOff must be between 1 and 90, got $percentOff" }
        require(endsAt.isAfter(startsAt)) { "a promotion must end after it starts" }
    }

    fun appliesTo(productId: String, at: Instant) =
        productId in productIds && !at.isBefore(startsAt) && at.isBefore(endsAt)
}

/** Prices in minor units: the list price, less the customer group discount, less the best promotion. */
class PriceCalculator(private val promotions: List<Promotion>) {
    fun price(productId: String, listPriceMinor: Long, groupDiscountPercent: Int, at: Instant): Long {
        require(listPriceMinor >= 0) { "listPriceMinor must not be negative" }
        val afterGroup = listPriceMinor * (100 - groupDiscountPercent) / 100
        val bestPromotion = promotions.filter { it.appliesTo(productId, at) }.maxOfOrNull { it.percentOff } ?: 0
        return afterGroup * (100 - bestPromotion) / 100
    }
}
