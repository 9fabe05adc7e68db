/*
 * OpenTelemetry for ${{ values.name }}: traces and metrics of every instrumented library
 * (HTTP, Express, Fastify, pg, Redis, …), exported over OTLP/HTTP to the collector that
 * OTEL_EXPORTER_OTLP_ENDPOINT names (default http://localhost:4318). OTEL_SERVICE_NAME
 * overrides the service name; OTEL_SDK_DISABLED=true switches it all off.
 *
 * Load it before the application, so that libraries are patched before they are used:
 *   node --import ./dist/instrumentation.js <entry point>
 * or make `import './instrumentation';` the first line of a CommonJS entry point.
 *
 * Written by the paved:observe:add scaffolder action.
 */
import { NodeSDK } from '@opentelemetry/sdk-node';
import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';

const sdk = new NodeSDK({
  serviceName: process.env.OTEL_SERVICE_NAME ?? "${{ values.name }}",
  traceExporter: new OTLPTraceExporter(),
  metricReaders: [
    new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter() }),
  ],
  instrumentations: [getNodeAutoInstrumentations()],
});

sdk.start();

// Flush what is buffered when the platform stops the container.
process.once('SIGTERM', () => {
  sdk
    .shutdown()
    .catch((error: unknown) =>
      console.error('OpenTelemetry did not shut down cleanly', error),
    )
    .finally(() => process.exit(0));
});
