package org.opentrade.common.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class JsonLogFormatterTest {
    private final JsonLogFormatter f = new JsonLogFormatter("trade-api");

    private static LogRecord record(Level level, String message) {
        LogRecord r = new LogRecord(level, message);
        r.setLoggerName("org.opentrade.test");
        r.setInstant(Instant.parse("2026-12-02T14:05:06.789Z"));
        return r;
    }

    @Test
    void aRecordIsOneJsonLineWithTimeLevelLoggerServiceAndMessage() {
        String line = f.format(record(Level.WARNING, "order {0} refused", "o-1"));
        assertTrue(line.endsWith("}\n") && line.indexOf('\n') == line.length() - 1, line);
        JsonObject j = new JsonObject(line);
        assertEquals("2026-12-02T14:05:06.789Z", j.getString("ts"));
        assertEquals("WARNING", j.getString("level"));
        assertEquals("org.opentrade.test", j.getString("logger"));
        assertEquals("trade-api", j.getString("service"));
        assertEquals("order o-1 refused", j.getString("message"));
        assertFalse(j.containsKey("trace_id"), "no span, no trace id");
    }

    private static LogRecord record(Level level, String message, Object param) {
        LogRecord r = record(level, message);
        r.setParameters(new Object[] {param});
        return r;
    }

    @Test
    void insideASpanTheLineCarriesItsTraceAndSpanIds() {
        SpanContext ctx = SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
                TraceFlags.getSampled(), TraceState.getDefault());
        try (Scope ignored = Span.wrap(ctx).makeCurrent()) {
            JsonObject j = new JsonObject(f.format(record(Level.INFO, "placed")));
            assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", j.getString("trace_id"));
            assertEquals("00f067aa0ba902b7", j.getString("span_id"));
        }
    }

    @Test
    void aClientsControlCharactersAndQuotesCannotBreakTheLineOrForgeFields() {
        String hostile = "x\",\"level\":\"SEVERE\"}\n{\"forged\":1\u0000\u001b[31m\u2028end\\";
        String line = f.format(record(Level.INFO, "bad symbol " + hostile));
        assertEquals(1, line.split("\n", -1).length - 1, "exactly one line: " + line);
        JsonObject j = new JsonObject(line);
        assertEquals("INFO", j.getString("level"));
        assertFalse(j.containsKey("forged"));
        assertEquals("bad symbol " + hostile, j.getString("message"), "the message survives exactly");
    }

    @Test
    void anExceptionIsWrittenWithItsStack() {
        LogRecord r = record(Level.SEVERE, "write failed");
        r.setThrown(new IllegalStateException("disk full"));
        JsonObject j = new JsonObject(f.format(r));
        assertEquals("java.lang.IllegalStateException: disk full", j.getString("error"));
        assertTrue(j.getString("stack").contains("anExceptionIsWrittenWithItsStack"), j.getString("stack"));
    }

    @Test
    void anUnknownFormatIsRefusedNamingTheAllowedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LogFormat.apply("xml", "x"));
        assertTrue(e.getMessage().contains("allowed: text, json"), e.getMessage());
    }
}
