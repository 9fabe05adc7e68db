package com.acme.pricing

import java.time.Instant
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith

class PriceCalculatorTest {
    private val start = Instant.parse("2026-11-27T00:00:00Z")
    private val end = Instant.parse("2026-11-30T23:59:59Z")

    @Test
    fun `the best running promotion applies after the group discount`() {
        val calculator = PriceCalculator(
            listOf(
                Promotion(setOf("p1"), 10, start, end),
                Promotion(setOf("p1", "p2"), 25, start, end),
            ),
        )
        assertEquals(6750, calculator.price("p1", 10_000, 10, start.plusSeconds(60)))
    }

    @Test
    fun `a promotion does not apply after it ends`() {
        val calculator = PriceCalculator(listOf(Promotion(setOf("p1"), 25, start, end)))
        assertEquals(10_000, calculator.price("p1", 10_000, 0, end))
    }

    @Test
    fun `promotions over 90 percent are rejected`() {
        assertFailsWith<IllegalArgumentException> { Promotion(setOf("p1"), 95, start, end) }
    }
}
