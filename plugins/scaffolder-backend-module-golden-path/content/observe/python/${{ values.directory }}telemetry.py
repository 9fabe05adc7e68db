"""OpenTelemetry for ${{ values.name }}: traces and metrics exported over OTLP/HTTP.

The exporters send to the collector that OTEL_EXPORTER_OTLP_ENDPOINT names (default
http://localhost:4318); OTEL_SERVICE_NAME overrides the service name.

Call configure_telemetry() once at start-up, before the web framework is created::

    from ${{ values.module }} import configure_telemetry

    configure_telemetry()

Library instrumentations (opentelemetry-instrumentation-fastapi, -flask, -django,
-psycopg, ...) then report through it.

Written by the paved:observe:add scaffolder action.
"""

import os

from opentelemetry import metrics, trace
from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

DEFAULT_SERVICE_NAME = "${{ values.name }}"


def configure_telemetry(service_name: str = DEFAULT_SERVICE_NAME) -> None:
    """Install the global tracer and meter providers, exporting over OTLP/HTTP."""
    resource = Resource.create(
        {SERVICE_NAME: os.environ.get("OTEL_SERVICE_NAME", service_name)}
    )

    tracer_provider = TracerProvider(resource=resource)
    tracer_provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(tracer_provider)

    reader = PeriodicExportingMetricReader(OTLPMetricExporter())
    metrics.set_meter_provider(
        MeterProvider(resource=resource, metric_readers=[reader])
    )
