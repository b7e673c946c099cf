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
import org.opentrade.common.tracing.TraceAttributes;
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
 * <p>Only the owner's requests are shown: a span whose nearest span naming a developer (itself, its
 * parent, and so on up) names another developer is left out. A trace id is not a secret from
 * everyone (a log line, a shared screen), and another developer who sends it in a {@code
 * traceparent} continues that trace; their requests are theirs, not part of the owner's view.
 *
 * <p>Called on the event loop; never blocks. Cost: O(spans in the trace) to render, on the trace queries' workers
 * when the trace comes from Zipkin (up to 4 MiB).
 */
public final class TraceQueryHandler implements Handler<RoutingContext> {
    /** The route this handler answers, in Vert.x path syntax. */
    public static final String ROUTE = "/v1/traces/:trace_id";
    public static final String PARAM = "trace_id";

    private final SpanStore store;
    private final Function<RoutingContext, String> developerOf;
    /** Zipkin, where distributed mode's processes export their spans; null: this process's store only. */
    private final ZipkinTraceSource zipkin;

    /**
     * @param developerOf the authenticated caller's developer id, or null when there is none
     */
    public TraceQueryHandler(SpanStore store, Function<RoutingContext, String> developerOf) {
        this(store, developerOf, null);
    }

    /**
     * With {@code zipkin} (null: none), the trace is the union of this gateway's spans and Zipkin's:
     * in distributed mode every process exports there, and the call may reach another gateway than
     * the one that served the traced request. Ownership is the same rule as the span store's: the
     * developer of the trace's earliest span that names one, over Zipkin's spans and this gateway's; this
     * gateway's own claim alone decides only when Zipkin cannot answer.
     */
    public TraceQueryHandler(SpanStore store, Function<RoutingContext, String> developerOf, ZipkinTraceSource zipkin) {
        this.store = Objects.requireNonNull(store, "store");
        this.developerOf = Objects.requireNonNull(developerOf, "developerOf");
        this.zipkin = zipkin;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String raw = ctx.pathParam(PARAM);
        String traceId = normalise(raw);
        String caller = developerOf.apply(ctx);
        String localOwner = traceId == null ? null : store.owner(traceId);
        if (traceId == null || caller == null || zipkin == null && !caller.equals(localOwner)) {
            notFound(ctx, raw);
            return;
        }
        List<SpanRecord> local = localOwner != null ? store.spans(traceId) : List.of();
        if (zipkin == null) {
            answer(ctx, render(traceId, ownSpans(local, caller)));
            return;
        }
        zipkin.trace(traceId).onComplete(ar -> {
            if (ar.failed()) {
                if (caller.equals(localOwner)) {
                    answer(ctx, render(traceId, ownSpans(local, caller))); // this gateway's part, rather than nothing
                } else if (localOwner == null) {
                    HttpErrors.send(ctx, GatewayError.UPSTREAM_UNAVAILABLE,
                            "the trace store is unavailable; retry in a few seconds");
                } else {
                    notFound(ctx, raw);
                }
                return;
            }
            // The owner from the whole trace, Zipkin's spans too: this gateway's first claim may be of a request that
            // only continued the trace (another developer's, with its id in a traceparent, here rather than on the
            // gateway that served the owner), and it took the trace from its owner.
            zipkin.offLoop(() -> {
                List<SpanRecord> all = merge(local, ar.result());
                return caller.equals(ZipkinTraceSource.owner(all)) ? render(traceId, ownSpans(all, caller)) : null;
            }).onComplete(rendered -> {
                if (rendered.failed()) {
                    HttpErrors.send(ctx, GatewayError.UPSTREAM_UNAVAILABLE,
                            "the trace store is busy; retry in a few seconds");
                } else if (rendered.result() == null) {
                    notFound(ctx, raw);
                } else {
                    answer(ctx, rendered.result());
                }
            });
        });
    }

    /**
     * The spans of {@code owner}'s requests: those whose nearest span naming a developer (the span
     * itself, else its parent, and so on while the parent is among {@code spans}) names {@code owner},
     * or none does (a span of the owner's request refused before it was authenticated, say).
     */
    static List<SpanRecord> ownSpans(List<SpanRecord> spans, String owner) {
        java.util.Map<String, SpanRecord> byId = new java.util.HashMap<>();
        for (SpanRecord s : spans) {
            byId.put(s.spanId(), s);
        }
        // Each span's developer, resolved once (walks up to the first resolved or naming span): O(spans).
        java.util.Map<String, String> developerOf = new java.util.HashMap<>();
        List<SpanRecord> own = new java.util.ArrayList<>(spans.size());
        List<String> path = new java.util.ArrayList<>();
        for (SpanRecord s : spans) {
            path.clear();
            String developer = "";
            SpanRecord at = s;
            while (at != null && path.size() <= spans.size()) {
                String known = developerOf.get(at.spanId());
                if (known != null) {
                    developer = known;
                    break;
                }
                path.add(at.spanId());
                Object d = at.attributes().get(TraceAttributes.DEVELOPER_ID.getKey());
                if (d != null) {
                    developer = d.toString();
                    break;
                }
                at = at.parentSpanId() == null ? null : byId.get(at.parentSpanId());
            }
            for (String id : path) {
                developerOf.put(id, developer);
            }
            if (developer.isEmpty() || developer.equals(owner)) {
                own.add(s);
            }
        }
        return own;
    }

    /** Local spans first (exact names), then Zipkin's that this process does not hold; by start. */
    static List<SpanRecord> merge(List<SpanRecord> local, List<SpanRecord> remote) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        List<SpanRecord> all = new java.util.ArrayList<>(local.size() + remote.size());
        for (SpanRecord s : local) {
            seen.add(s.spanId());
            all.add(s);
        }
        for (SpanRecord s : remote) {
            if (seen.add(s.spanId())) {
                all.add(s);
            }
        }
        all.sort(java.util.Comparator.comparingLong(SpanRecord::startUs));
        return all;
    }

    private static void notFound(RoutingContext ctx, String raw) {
        HttpErrors.send(ctx, GatewayError.NOT_FOUND, "no trace " + shown(raw) + " among your requests");
    }

    /** The answer's body: any thread. */
    private static String render(String traceId, List<SpanRecord> spans) {
        JsonArray array = new JsonArray();
        for (SpanRecord s : spans) {
            array.add(new JsonObject(s.toJsonMap()));
        }
        return new JsonObject().put("trace_id", traceId).put("spans", array).encode();
    }

    private static void answer(RoutingContext ctx, String body) {
        ctx.response()
                .putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store")
                .end(body);
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
