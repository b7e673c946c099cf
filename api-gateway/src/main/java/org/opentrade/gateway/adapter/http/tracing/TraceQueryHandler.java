package org.opentrade.gateway.adapter.http.tracing;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import org.opentrade.common.tracing.SpanRecord;
import org.opentrade.common.tracing.SpanStore;
import org.opentrade.gateway.adapter.http.HttpErrors;
import org.opentrade.gateway.domain.GatewayError;

/**
 * {@code GET /v1/traces/:trace_id}: the caller's own trace, {@code {"trace_id": "...", "spans":
 * [{trace_id, span_id, parent_span_id, name, kind, service, start_us, duration_us, status,
 * attributes}]}}, spans ordered by start.
 *
 * <p>Only the trace's owner (the developer tagged on its server span) sees it. Unknown, evicted,
 * not-owned and malformed ids all answer the same 404, so nobody learns that someone else's trace
 * exists. Ids are 32 hex digits, any case; a 16-hex B3 id is read as its 128-bit form.
 *
 * <p>Called on the event loop; never blocks. Cost: O(spans in the trace) to render.
 */
public final class TraceQueryHandler implements Handler<RoutingContext> {
    /** The route this handler answers, in Vert.x path syntax. */
    public static final String ROUTE = "/v1/traces/:trace_id";
    public static final String PARAM = "trace_id";

    private final SpanStore store;
    private final Function<RoutingContext, String> developerOf;

    /**
     * @param developerOf the authenticated caller's developer id, or null when there is none
     */
    public TraceQueryHandler(SpanStore store, Function<RoutingContext, String> developerOf) {
        this.store = Objects.requireNonNull(store, "store");
        this.developerOf = Objects.requireNonNull(developerOf, "developerOf");
    }

    @Override
    public void handle(RoutingContext ctx) {
        String raw = ctx.pathParam(PARAM);
        String traceId = normalise(raw);
        String caller = developerOf.apply(ctx);
        if (traceId == null || caller == null || !caller.equals(store.owner(traceId))) {
            HttpErrors.send(ctx, GatewayError.NOT_FOUND, "no trace " + shown(raw) + " among your requests");
            return;
        }
        List<SpanRecord> spans = store.spans(traceId);
        JsonArray array = new JsonArray();
        for (SpanRecord s : spans) {
            array.add(new JsonObject(s.toJsonMap()));
        }
        ctx.response()
                .putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store")
                .end(new JsonObject().put("trace_id", traceId).put("spans", array).encode());
    }

    /** 32 lower-case hex digits, not all zero; null when the id cannot be a trace id. */
    static String normalise(String raw) {
        if (raw == null || (raw.length() != 32 && raw.length() != 16)) {
            return null;
        }
        String id = raw.toLowerCase(Locale.ROOT);
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return null;
            }
        }
        if (id.length() == 16) {
            id = "0000000000000000" + id; // how the B3 propagator widens 64-bit ids
        }
        return id.chars().allMatch(c -> c == '0') ? null : id;
    }

    /** The id as the caller wrote it, cut short: an error message is no place to echo a long input. */
    private static String shown(String raw) {
        if (raw == null) {
            return "";
        }
        return raw.length() <= 40 ? raw : raw.substring(0, 40) + "...";
    }
}
