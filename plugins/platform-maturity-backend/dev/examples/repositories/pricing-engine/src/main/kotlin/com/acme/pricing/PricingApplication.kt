package com.acme.pricing

import org.springframework.boot.autoconfigure.SpringBootApplication
import org.springframework.boot.runApplication
import org.springframework.scheduling.annotation.EnableScheduling

@SpringBootApplication
@EnableScheduling
class PricingApplication

fun main(args: Array<String>) {
    runApplication<PricingApplication>(*args)
}
