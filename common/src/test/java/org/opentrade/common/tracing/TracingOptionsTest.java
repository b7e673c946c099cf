package org.opentrade.common.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentrade.common.config.Config;
import org.opentrade.common.config.ConfigException;
import org.opentrade.common.config.ConfigLoader;

class TracingOptionsTest {

    private static Config tracing(String yaml) {
        return ConfigLoader.of(Map.of(), Map.of()).fromText(yaml, "test.yaml").section("tracing");
    }

    @Test
    void anAbsentSectionTakesTheDefaults() {
        TracingOptions o = TracingOptions.fromConfig(tracing("other: 1\n"), "api-gateway");
        assertEquals("api-gateway", o.getServiceName());
        assertFalse(o.isExporting());
        assertEquals(TracingOptions.DEFAULT_SAMPLE_RATIO, o.getSampleRatio());
        assertEquals(TracingOptions.DEFAULT_STORE_TRACES, o.getStoreTraces());
        assertEquals(TracingOptions.DEFAULT_EXPORT_DELAY, o.getExportDelay());
    }

    @Test
    void everyKeyIsRead() {
        TracingOptions o = TracingOptions.fromConfig(tracing("""
                tracing:
                  service_name: market-api
                  zipkin_endpoint: http://127.0.0.1:9411/api/v2/spans
                  sample_ratio: 0.25
                  store_traces: 500
                  store_spans_per_trace: 32
                  export_delay: 200ms
                """), "x");
        assertEquals("market-api", o.getServiceName());
        assertTrue(o.isExporting());
        assertEquals("http://127.0.0.1:9411/api/v2/spans", o.getZipkinEndpoint());
        assertEquals(0.25, o.getSampleRatio());
        assertEquals(500, o.getStoreTraces());
        assertEquals(32, o.getStoreSpansPerTrace());
        assertEquals(Duration.ofMillis(200), o.getExportDelay());
    }

    @Test
    void aSampleRatioAboveOneIsRefusedNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> TracingOptions.fromConfig(tracing("tracing:\n  sample_ratio: 1.5\n"), "x"));
        assertTrue(e.getMessage().contains("tracing.sample_ratio"), e.getMessage());
    }

    @Test
    void aZipkinEndpointThatIsNotAnHttpUrlIsRefusedNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> TracingOptions.fromConfig(tracing("tracing:\n  zipkin_endpoint: zipkin:9411\n"), "x"));
        assertTrue(e.getMessage().contains("zipkin_endpoint"), e.getMessage());
    }

    @Test
    void settersFailFast() {
        assertThrows(IllegalArgumentException.class, () -> new TracingOptions().setServiceName(" "));
        assertThrows(IllegalArgumentException.class, () -> new TracingOptions().setStoreTraces(0));
        assertThrows(IllegalArgumentException.class, () -> new TracingOptions().setSampleRatio(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new TracingOptions().setExportDelay(Duration.ZERO));
    }
}
