package org.opentrade.common.tracing;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;
import org.opentrade.common.config.Config;
import org.opentrade.common.config.ConfigException;

/**
 * How a service traces: its name in Zipkin, where spans are exported, how many are kept, and how
 * many traces the in-memory {@link SpanStore} remembers. Setters validate and fail fast with a
 * message naming the field; {@link Tracing} copies the values at construction, so changing an
 * options object afterwards changes nothing.
 *
 * <p>Config keys (a service's {@code tracing:} section, see {@link #fromConfig(Config, String)}):
 * {@code service_name}, {@code zipkin_endpoint}, {@code sample_ratio}, {@code store_traces},
 * {@code store_spans_per_trace}, {@code export_delay}.
 */
public final class TracingOptions {
    public static final String DEFAULT_SERVICE_NAME = "opentrade";
    /** Empty: spans stay in the in-memory store only (the all-in-one needs no Zipkin). */
    public static final String DEFAULT_ZIPKIN_ENDPOINT = "";
    public static final double DEFAULT_SAMPLE_RATIO = 1.0;
    public static final int DEFAULT_STORE_TRACES = 10_000;
    public static final int DEFAULT_STORE_SPANS_PER_TRACE = 256;
    public static final Duration DEFAULT_EXPORT_DELAY = Duration.ofSeconds(1);
    /** Spans waiting for export; beyond this they are dropped rather than blocking a request. */
    public static final int DEFAULT_EXPORT_QUEUE_SIZE = 4096;

    private String serviceName = DEFAULT_SERVICE_NAME;
    private String zipkinEndpoint = DEFAULT_ZIPKIN_ENDPOINT;
    private double sampleRatio = DEFAULT_SAMPLE_RATIO;
    private int storeTraces = DEFAULT_STORE_TRACES;
    private int storeSpansPerTrace = DEFAULT_STORE_SPANS_PER_TRACE;
    private Duration exportDelay = DEFAULT_EXPORT_DELAY;
    private int exportQueueSize = DEFAULT_EXPORT_QUEUE_SIZE;

    public TracingOptions() {
    }

    /**
     * Reads a {@code tracing:} config section; absent keys take the defaults, the service name
     * defaults to {@code defaultServiceName}. A bad value throws a {@link ConfigException} naming
     * the key.
     */
    public static TracingOptions fromConfig(Config section, String defaultServiceName) {
        TracingOptions o = new TracingOptions();
        try {
            o.setServiceName(section.string("service_name", defaultServiceName));
            o.setZipkinEndpoint(section.string("zipkin_endpoint", DEFAULT_ZIPKIN_ENDPOINT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("config section 'tracing': " + e.getMessage() + " (" + section.origin() + ")");
        }
        o.setSampleRatio(section.doubleValue("sample_ratio", DEFAULT_SAMPLE_RATIO, 0.0, 1.0));
        o.setStoreTraces(section.intValue("store_traces", DEFAULT_STORE_TRACES, 1, 10_000_000));
        o.setStoreSpansPerTrace(section.intValue("store_spans_per_trace", DEFAULT_STORE_SPANS_PER_TRACE, 1, 100_000));
        Duration delay = section.duration("export_delay", DEFAULT_EXPORT_DELAY);
        try {
            o.setExportDelay(delay);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("config section 'tracing': " + e.getMessage() + " (" + section.origin() + ")");
        }
        return o;
    }

    public String getServiceName() {
        return serviceName;
    }

    /** The {@code service.name} every span of this service carries (Zipkin's service column). */
    public TracingOptions setServiceName(String serviceName) {
        if (serviceName == null || serviceName.isBlank()) {
            throw new IllegalArgumentException("service_name must not be empty");
        }
        this.serviceName = serviceName.strip();
        return this;
    }

    public String getZipkinEndpoint() {
        return zipkinEndpoint;
    }

    /** True when spans are exported to Zipkin. */
    public boolean isExporting() {
        return !zipkinEndpoint.isEmpty();
    }

    /**
     * Zipkin's v2 span endpoint, e.g. {@code http://127.0.0.1:9411/api/v2/spans}; empty (or null)
     * exports nothing.
     */
    public TracingOptions setZipkinEndpoint(String zipkinEndpoint) {
        String v = zipkinEndpoint == null ? "" : zipkinEndpoint.strip();
        if (!v.isEmpty()) {
            try {
                URI uri = new URI(v);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new URISyntaxException(v, "not an absolute http(s) URL");
                }
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("zipkin_endpoint '" + v
                        + "' must be empty or an http(s) URL such as http://127.0.0.1:9411/api/v2/spans");
            }
        }
        this.zipkinEndpoint = v;
        return this;
    }

    public double getSampleRatio() {
        return sampleRatio;
    }

    /**
     * Share of new traces recorded, 0..1; a caller's sampled flag is honoured. Lower: less CPU and
     * export traffic, but fewer requests can be looked up in {@code /v1/traces}.
     */
    public TracingOptions setSampleRatio(double sampleRatio) {
        if (!(sampleRatio >= 0.0 && sampleRatio <= 1.0)) {
            throw new IllegalArgumentException("sample_ratio must be in 0..1, got " + sampleRatio);
        }
        this.sampleRatio = sampleRatio;
        return this;
    }

    public int getStoreTraces() {
        return storeTraces;
    }

    /**
     * Traces the in-memory store keeps before evicting the oldest. Larger: older requests stay
     * viewable; each trace costs about 1 KiB per span held.
     */
    public TracingOptions setStoreTraces(int storeTraces) {
        if (storeTraces < 1) {
            throw new IllegalArgumentException("store_traces must be at least 1, got " + storeTraces);
        }
        this.storeTraces = storeTraces;
        return this;
    }

    public int getStoreSpansPerTrace() {
        return storeSpansPerTrace;
    }

    /** Spans kept per trace; a runaway trace (a long stream) cannot take the whole store. */
    public TracingOptions setStoreSpansPerTrace(int storeSpansPerTrace) {
        if (storeSpansPerTrace < 1) {
            throw new IllegalArgumentException("store_spans_per_trace must be at least 1, got " + storeSpansPerTrace);
        }
        this.storeSpansPerTrace = storeSpansPerTrace;
        return this;
    }

    public Duration getExportDelay() {
        return exportDelay;
    }

    /** Time between Zipkin batches. Shorter: traces appear sooner; longer: fewer, larger POSTs. */
    public TracingOptions setExportDelay(Duration exportDelay) {
        Objects.requireNonNull(exportDelay, "exportDelay");
        if (exportDelay.isNegative() || exportDelay.isZero()) {
            throw new IllegalArgumentException("export_delay must be positive, got " + exportDelay);
        }
        this.exportDelay = exportDelay;
        return this;
    }

    public int getExportQueueSize() {
        return exportQueueSize;
    }

    /** Spans buffered for export; when full, new spans are dropped (counted by the SDK), never waited for. */
    public TracingOptions setExportQueueSize(int exportQueueSize) {
        if (exportQueueSize < 1) {
            throw new IllegalArgumentException("export queue size must be at least 1, got " + exportQueueSize);
        }
        this.exportQueueSize = exportQueueSize;
        return this;
    }

    @Override
    public String toString() {
        return "TracingOptions{service=" + serviceName + ", zipkin=" + (isExporting() ? zipkinEndpoint : "off")
                + ", sampleRatio=" + sampleRatio + ", storeTraces=" + storeTraces + "}";
    }
}
