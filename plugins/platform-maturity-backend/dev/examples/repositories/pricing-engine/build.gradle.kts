plugins {
    id("org.springframework.boot") version "3.4.1"
    id("io.spring.dependency-management") version "1.1.7"
    id("com.google.cloud.tools.jib") version "3.4.4"
    kotlin("jvm") version "2.1.0"
    kotlin("plugin.spring") version "2.1.0"
}

group = "com.acme"
version = "1.12.0"

java {
    toolchain { languageVersion = JavaLanguageVersion.of(21) }
}

repositories { mavenCentral() }

dependencies {
    implementation("org.springframework.boot:spring-boot-starter-web")
    implementation("org.springframework.boot:spring-boot-starter-actuator")
    implementation("com.fasterxml.jackson.module:jackson-module-kotlin")
    implementation("io.opentelemetry.instrumentation:opentelemetry-instrumentation-annotations:2.11.0")
    implementation("io.micrometer:micrometer-registry-prometheus")
    testImplementation("org.springframework.boot:spring-boot-starter-test")
    testImplementation("org.jetbrains.kotlin:kotlin-test-junit5")
}

jib {
    from { image = "eclipse-temurin:21-jre" }
    to { image = "ghcr.io/acme/pricing-engine" }
    container {
        jvmFlags = listOf("-javaagent:/otel/opentelemetry-javaagent.jar")
        ports = listOf("8080")
    }
    extraDirectories {
        paths { path { setFrom("build/otel"); into = "/otel" } }
    }
}

val otelAgent by configurations.creating
dependencies { otelAgent("io.opentelemetry.javaagent:opentelemetry-javaagent:2.11.0") }

val copyOtelAgent by tasks.registering(Copy::class) {
    from(otelAgent)
    into(layout.buildDirectory.dir("otel"))
    rename { "opentelemetry-javaagent.jar" }
}
tasks.named("jib") { dependsOn(copyOtelAgent) }

tasks.test { useJUnitPlatform() }
