package com.acme.pricing

import java.util.concurrent.atomic.AtomicReference
import org.springframework.beans.factory.annotation.Value
import org.springframework.scheduling.annotation.Scheduled
import org.springframework.stereotype.Component
import org.springframework.web.client.RestClient
import org.springframework.web.client.body

data class ListPrice(val productId: String, val amountMinor: Long, val currency: String)

data class Snapshot(val prices: Map<String, ListPrice>, val promotions: List<Promotion>)

/** The price lists and promotions of the product catalogue, held in memory and refreshed. */
@Component
class PriceLists(@Value("\${catalogue.url}") catalogueUrl: String) {
    private val client = RestClient.create(catalogueUrl)
    private val current = AtomicReference(Snapshot(emptyMap(), emptyList()))

    fun listPrice(productId: String) = current.get().prices[productId]

    fun promotions() = current.get().promotions

    @Scheduled(fixedDelayString = "PT5M")
    fun refresh() {
        val prices = client.get().uri("/price-lists/current").retrieve().body<List<ListPrice>>().orEmpty()
        val promotions = client.get().uri("/promotions/active").retrieve().body<List<Promotion>>().orEmpty()
        current.set(Snapshot(prices.associateBy { it.productId }, promotions))
    }
}
