package org.opentrade.common.logging;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;
import org.opentrade.common.json.IsoTimes;

/**
 * One JSON object per line for java.util.logging, for log shippers (Loki, Elasticsearch, Cloud
 * Logging): {@code ts} (UTC, milliseconds), {@code level}, {@code logger}, {@code thread},
 * {@code message}, {@code service}, and {@code trace_id}/{@code span_id} when the record is written
 * inside an OpenTelemetry span (so a log line joins its trace at {@code /v1/traces/{id}} or in
 * Zipkin), {@code error} and {@code stack} for a record with an exception. Strings are escaped per
 * RFC 8259, control characters included, so a message carrying a client's input cannot break the
 * line or forge fields.
 */
public final class JsonLogFormatter extends Formatter {
    private final String service;

    /** @param service the process's service name, written on every line (null: none) */
    public JsonLogFormatter(String service) {
        this.service = service;
    }

    @Override
    public String format(LogRecord r) {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"ts\":\"").append(IsoTimes.FORMATTER.format(r.getInstant())).append('"');
        field(b, "level", r.getLevel().getName());
        field(b, "logger", r.getLoggerName());
        b.append(",\"thread\":").append(r.getLongThreadID());
        if (service != null) {
            field(b, "service", service);
        }
        field(b, "message", formatMessage(r));
        SpanContext span = Span.current().getSpanContext();
        if (span.isValid()) {
            field(b, "trace_id", span.getTraceId());
            field(b, "span_id", span.getSpanId());
        }
        Throwable t = r.getThrown();
        if (t != null) {
            field(b, "error", t.toString());
            StringWriter stack = new StringWriter();
            t.printStackTrace(new PrintWriter(stack));
            field(b, "stack", stack.toString());
        }
        return b.append("}\n").toString();
    }

    private static void field(StringBuilder b, String name, String value) {
        b.append(",\"").append(name).append("\":");
        if (value == null) {
            b.append("null");
            return;
        }
        b.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
