// Package telemetry starts OpenTelemetry for ${{ values.name }}: traces and metrics exported over
// OTLP/gRPC to the collector that OTEL_EXPORTER_OTLP_ENDPOINT names (default localhost:4317).
// OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES override the service name and add attributes.
//
// Start it first thing in main and stop it on the way out:
//
//	shutdown, err := telemetry.Start(ctx)
//	if err != nil {
//		log.Fatal(err)
//	}
//	defer shutdown(context.Background())
//
// Written by the paved:observe:add scaffolder action; run `go mod tidy` once to record the
// checksums of the OpenTelemetry modules in go.sum.
package telemetry

import (
	"context"
	"errors"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetricgrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// ServiceName is the service.name reported unless OTEL_SERVICE_NAME sets another.
const ServiceName = "${{ values.name }}"

// Start installs the global tracer and meter providers and the W3C Trace Context and Baggage
// propagators. The function it returns flushes and stops them.
func Start(ctx context.Context) (func(context.Context) error, error) {
	res, err := resource.New(ctx,
		resource.WithAttributes(attribute.String("service.name", ServiceName)),
		// Later detectors win: the environment overrides the default name.
		resource.WithFromEnv(),
		resource.WithTelemetrySDK(),
	)
	if err != nil {
		return nil, err
	}

	traceExporter, err := otlptracegrpc.New(ctx)
	if err != nil {
		return nil, err
	}
	tracerProvider := sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(traceExporter),
		sdktrace.WithResource(res),
	)

	metricExporter, err := otlpmetricgrpc.New(ctx)
	if err != nil {
		return nil, errors.Join(err, tracerProvider.Shutdown(ctx))
	}
	meterProvider := sdkmetric.NewMeterProvider(
		sdkmetric.WithReader(sdkmetric.NewPeriodicReader(metricExporter)),
		sdkmetric.WithResource(res),
	)

	otel.SetTracerProvider(tracerProvider)
	otel.SetMeterProvider(meterProvider)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(
		propagation.TraceContext{},
		propagation.Baggage{},
	))

	return func(ctx context.Context) error {
		return errors.Join(tracerProvider.Shutdown(ctx), meterProvider.Shutdown(ctx))
	}, nil
}
