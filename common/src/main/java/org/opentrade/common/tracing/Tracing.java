package org.opentrade.common.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.extension.trace.propagation.B3Propagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One service's OpenTelemetry SDK: a tracer, W3C + B3 propagation, spans kept in a {@link
 * SpanStore} and, when an endpoint is configured, exported to Zipkin in batches.
 *
 * <p>Never registered as {@code GlobalOpenTelemetry}: in the all-in-one several services share a
 * JVM, each with its own service name, so each builds its own instance and passes it explicitly;
 * they may share one store so a trace shows every hop.
 *
 * <p>Propagation: extracts a W3C {@code traceparent} or B3 (multi-header {@code X-B3-*} or single
 * {@code b3}); when both are present W3C wins. Injects both {@code traceparent} and B3 multi-header
 * {@code X-B3-TraceId/SpanId/Sampled}, so Zipkin-era and OpenTelemetry-era services both follow.
 * Malformed headers are ignored (a new trace starts).
 *
 * <p>Thread-safe. Ending a span never blocks: export goes through a bounded queue drained by the
 * batch processor's own thread, and spans that do not fit are dropped.
 */
public final class Tracing implements AutoCloseable {
    /** Instrumentation scope of OpenTrade's own spans. */
    public static final String SCOPE = "org.opentrade";
    /** Header names the propagator reads and writes; a proxy must not forward stale ones. */
    public static final List<String> PROPAGATION_HEADERS = List.of("traceparent", "tracestate", "b3",
            "X-B3-TraceId", "X-B3-SpanId", "X-B3-ParentSpanId", "X-B3-Sampled", "X-B3-Flags");

    // B3 first, W3C last: the composite lets a later propagator overwrite what an earlier one found.
    private static final TextMapPropagator PROPAGATOR = TextMapPropagator.composite(
            B3Propagator.injectingMultiHeaders(), W3CTraceContextPropagator.getInstance());

    private final OpenTelemetrySdk sdk;
    private final Tracer tracer;
    private final SpanStore store;
    private final String serviceName;
    private final boolean exporting;

    private Tracing(OpenTelemetrySdk sdk, SpanStore store, String serviceName, boolean exporting) {
        this.sdk = sdk;
        this.tracer = sdk.getTracer(SCOPE);
        this.store = store;
        this.serviceName = serviceName;
        this.exporting = exporting;
    }

    /** Tracing with a store of its own, sized by the options. */
    public static Tracing create(TracingOptions options) {
        return create(options, new SpanStore(options.getStoreTraces(), options.getStoreSpansPerTrace()));
    }

    /** Tracing that keeps its spans in an existing (possibly shared) store. */
    public static Tracing create(TracingOptions options, SpanStore store) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(store, "store");
        Resource resource = Resource.getDefault()
                .merge(Resource.create(Attributes.of(TraceAttributes.SERVICE_NAME, options.getServiceName())));
        SdkTracerProviderBuilder provider = SdkTracerProvider.builder()
                .setResource(resource)
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(options.getSampleRatio())))
                .setMeterProvider(MeterProvider::noop)
                .addSpanProcessor(new StoringSpanProcessor(store));
        if (options.isExporting()) {
            // Explicit no-op meters: the defaults would reach for GlobalOpenTelemetry, which we never set.
            ZipkinSpanExporter exporter = ZipkinSpanExporter.builder()
                    .setEndpoint(options.getZipkinEndpoint())
                    .setMeterProvider(MeterProvider.noop())
                    .build();
            provider.addSpanProcessor(BatchSpanProcessor.builder(exporter)
                    .setScheduleDelay(options.getExportDelay())
                    .setMaxQueueSize(options.getExportQueueSize())
                    .setMaxExportBatchSize(Math.min(512, options.getExportQueueSize()))
                    .setMeterProvider(MeterProvider.noop())
                    .build());
        }
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(provider.build())
                .setPropagators(ContextPropagators.create(PROPAGATOR))
                .build();
        return new Tracing(sdk, store, options.getServiceName(), options.isExporting());
    }

    /** W3C + B3 propagation (stateless, shared). */
    public static TextMapPropagator propagator() {
        return PROPAGATOR;
    }

    /** Reads one {@code traceparent} value (as a message header carries it) as a carrier of its own. */
    private static final io.opentelemetry.context.propagation.TextMapGetter<String> TRACEPARENT =
            new io.opentelemetry.context.propagation.TextMapGetter<>() {
                @Override
                public Iterable<String> keys(String carrier) {
                    return List.of("traceparent");
                }

                @Override
                public String get(String carrier, String key) {
                    return "traceparent".equals(key) ? carrier : null;
                }
            };

    /**
     * The context a W3C {@code traceparent} value names, to parent a span on (the root context when it is
     * null or malformed).
     */
    public static io.opentelemetry.context.Context parentOf(String traceparent) {
        return PROPAGATOR.extract(io.opentelemetry.context.Context.root(), traceparent, TRACEPARENT);
    }

    /** This service's SDK, for libraries that take an {@link OpenTelemetry} (e.g. vertx-opentelemetry). */
    public OpenTelemetry openTelemetry() {
        return sdk;
    }

    /** The tracer for OpenTrade's own spans. */
    public Tracer tracer() {
        return tracer;
    }

    public SpanStore spanStore() {
        return store;
    }

    public String serviceName() {
        return serviceName;
    }

    /** True when spans also go to Zipkin. */
    public boolean exporting() {
        return exporting;
    }

    /** Sends buffered spans now; true when done within the timeout. Blocks: not on an event loop. */
    public boolean flush(Duration timeout) {
        return sdk.getSdkTracerProvider().forceFlush().join(timeout.toMillis(), TimeUnit.MILLISECONDS).isSuccess();
    }

    /**
     * Flushes and stops exporting (waits up to 10 s for Zipkin). Spans ended afterwards are
     * dropped. The store keeps its traces: it may be shared. Blocks: call at shutdown, not on an
     * event loop.
     */
    @Override
    public void close() {
        sdk.getSdkTracerProvider().shutdown().join(10, TimeUnit.SECONDS);
    }
}
